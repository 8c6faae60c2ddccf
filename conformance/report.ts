import type { Level, ProtocolSpec, Rule } from "../spec/protocol.js";
import type { Transcript } from "../transport/transcript.js";

/**
 * pass; fail: a MUST not met; non-strict: a SHOULD or MAY not met; timeout: an answer the rule needed
 * never came (a MUST's timeout counts like a failure, a SHOULD's like non-strict); skip: not run.
 */
export type Outcome = "pass" | "fail" | "non-strict" | "timeout" | "skip";

/** Everything a report says about one rule; its shape is spec/schemas/report.schema.json's `detail`. */
export interface RuleDetail {
  message: string;
  statement?: string;
  runs?: number;
  expected?: string;
  actual?: string;
  counterexample?: string;
  seed?: number;
  path?: string;
  /** The counterexample's case ID (rule, seed, path), which `sockspec replay` runs again. */
  case?: string;
  fixture?: string;
  transcript?: Transcript;
  ms?: number;
}

export interface RuleResult {
  id: string;
  level: Level;
  outcome: Outcome;
  detail: RuleDetail;
}

export interface Summary {
  total: number;
  pass: number;
  fail: number;
  "non-strict": number;
  timeout: number;
  skip: number;
  /** Some rule was checked, and no MUST failed (and, with strict, no SHOULD or MAY either). */
  ok: boolean;
}

/** The runner's verdict, as validated by spec/schemas/report.schema.json. */
export interface Report {
  protocol: string;
  target: string;
  seed: number;
  runs: number;
  /** Limits the target's servers were configured with where they differ from the spec's. */
  limits?: Record<string, number>;
  strict: boolean;
  /** The run's time limit stopped it before every rule was checked. */
  interrupted?: boolean;
  rules: RuleResult[];
  summary: Summary;
}

/** The verdict in words, as every reporter states it (the summary's ok already weighs --strict). */
export function verdict({ summary, interrupted }: Pick<Report, "summary" | "interrupted">): "OK" | "NOT CONFORMANT" | "NOTHING CHECKED" | "INTERRUPTED" {
  const checked = summary.total > summary.skip;
  if (checked && !summary.ok) return "NOT CONFORMANT";
  if (interrupted) return "INTERRUPTED";
  return checked ? "OK" : "NOTHING CHECKED";
}

/** A rule that was not met: fail for a MUST, non-strict for a SHOULD or MAY; timeout when what it needed never came. */
export function unmet(rule: Rule, timedOut = false): Outcome {
  if (timedOut) return "timeout";
  return rule.level === "MUST" ? "fail" : "non-strict";
}

/** Whether a rule was checked and not met, whatever its level. */
export const isUnmet = (result: RuleResult) => result.outcome === "fail" || result.outcome === "non-strict" || result.outcome === "timeout";

/** Whether a result fails the run: an unmet MUST always, an unmet SHOULD or MAY only in a strict run. */
export const countsAgainst = (result: RuleResult, strict: boolean) => isUnmet(result) && (strict || result.level === "MUST");

export function summarize(rules: RuleResult[], strict: boolean): Summary {
  const count = (outcome: Outcome) => rules.filter((r) => r.outcome === outcome).length;
  const summary = {
    total: rules.length,
    pass: count("pass"),
    fail: count("fail"),
    "non-strict": count("non-strict"),
    timeout: count("timeout"),
    skip: count("skip"),
  };
  // A run in which every rule was skipped checked nothing, and is not a success.
  const checked = summary.total > summary.skip;
  return { ...summary, ok: checked && !rules.some((r) => countsAgainst(r, strict)) };
}

/** The CLI's exit code for a report: 0 when it is ok, 1 otherwise (2 is for usage and unreachable targets). */
export function exitCode(report: Report): 0 | 1 {
  return report.summary.ok ? 0 : 1;
}

/** Whether a rule ID matches a selector: an ID, or a glob where `*` stands for any run of ID characters (`CAP-QUOTA-*`). */
function matches(selector: string, id: string): boolean {
  const pattern = selector
    .split("*")
    .map((part) => part.replace(/[.+?^${}()|[\]\\]/g, "\\$&"))
    .join("[A-Z0-9-]*");
  return new RegExp(`^${pattern}$`).test(id);
}

/**
 * The catalogue entries of a spec in catalogue order: those `only` selects (all when absent) less those
 * `exclude` selects. A selector that matches no rule is an error, so a typo never narrows a run silently.
 */
export function selectRules(spec: ProtocolSpec, only?: readonly string[], exclude?: readonly string[]): Rule[] {
  const selectors = [...(only ?? []), ...(exclude ?? [])];
  const unknown = selectors.filter((s) => !spec.rules.some((r) => matches(s, r.id)));
  if (unknown.length > 0) throw new RangeError(`unknown rule ID for ${spec.protocol}: ${unknown.join(", ")}`);
  return spec.rules.filter((r) => (!only?.length || only.some((s) => matches(s, r.id))) && !exclude?.some((s) => matches(s, r.id)));
}
