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
  /** The command that runs the failure again, as the CLI prints it (`cd FOLDER && npx --no-install sockspec replay CASE ...`). */
  reproduce?: string;
  fixture?: string;
  transcript?: Transcript;
  ms?: number;
  /** Property runs made again because the kit was too slow to judge them (a loaded machine), and why. */
  retries?: { count: number; why: string[] };
  /**
   * With --verify: the seeds the rule was checked on and its outcome on each, whether they differ, and
   * whether an answer came close to the reply timeout (the longest, in ms).
   */
  verify?: { seeds: number[]; outcomes: Outcome[]; unstable: boolean; slow: boolean; closestAnswerMs: number };
}

export interface RuleResult {
  id: string;
  level: Level;
  outcome: Outcome;
  detail: RuleDetail;
}

export interface Summary {
  total: number;
  /** Rules checked: all but the skipped. */
  checked: number;
  pass: number;
  fail: number;
  "non-strict": number;
  timeout: number;
  skip: number;
  /** Rules whose result counts against the verdict: unmet MUSTs, and with strict unmet SHOULDs and MAYs too. */
  failing: number;
  /** Some rule was checked, none counts against the verdict, and with failOnSkip none was skipped (with --verify, none unstable). */
  ok: boolean;
  /** With --verify: rules whose outcome differed between the seeds, and rules with an answer close to the reply timeout. */
  unstable?: number;
  slow?: number;
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
  /** Rules left unchecked fail the run. */
  failOnSkip?: boolean;
  /** The run's time limit stopped it before every rule was checked. */
  interrupted?: boolean;
  /** Each rule was checked on this many seeds: `seed` and those after it (--verify). */
  verify?: number;
  rules: RuleResult[];
  summary: Summary;
}

export type Verdict = "OK" | "PARTIAL" | "NOT CONFORMANT" | "UNSTABLE" | "NOTHING CHECKED" | "INTERRUPTED";

/**
 * The verdict in a word, as every reporter states it. OK only when every rule was checked: a run that
 * left rules unchecked is PARTIAL however well the rest went.
 */
export function verdict({ summary, interrupted }: Pick<Report, "summary" | "interrupted">): Verdict {
  if (summary.failing > 0) return "NOT CONFORMANT";
  if (interrupted) return "INTERRUPTED";
  if ((summary.unstable ?? 0) > 0) return "UNSTABLE";
  if (summary.checked === 0) return "NOTHING CHECKED";
  return summary.skip > 0 ? "PARTIAL" : "OK";
}

/** The word for each outcome, the same in every reporter: a rule line's label is it in capitals. */
export const outcomeWords: Record<Outcome, string> = { pass: "pass", fail: "fail", "non-strict": "warn", timeout: "timeout", skip: "skip" };

/** The checked rules counted by outcome, in the reporters' words: `12 pass, 3 fail, 2 warn, 1 timeout`. */
export function outcomeCounts(summary: Summary): string {
  return (["pass", "fail", "non-strict", "timeout"] as const).map((outcome) => `${summary[outcome]} ${outcomeWords[outcome]}`).join(", ");
}

/** The unmet rules counted by level, MUSTs first: `9 MUST rule(s) and 3 SHOULD rule(s)`; empty when none is unmet. */
export function unmetByLevel(rules: readonly RuleResult[], levels: readonly Level[] = ["MUST", "SHOULD", "MAY"]): string {
  const parts = levels.flatMap((level) => {
    const n = rules.filter((r) => r.level === level && isUnmet(r)).length;
    return n > 0 ? [`${n} ${level} rule(s)`] : [];
  });
  return parts.length > 1 ? `${parts.slice(0, -1).join(", ")} and ${parts.at(-1)}` : (parts[0] ?? "");
}

/**
 * The verdict with what it means, e.g. `PARTIAL: no MUST failed in the 4 rules checked`. Every unmet rule
 * is counted by its level, also where it does not change the verdict (`OK: ...; 3 SHOULD rule(s) not met`).
 */
export function verdictLine(report: Pick<Report, "rules" | "summary" | "interrupted" | "strict" | "failOnSkip" | "verify">): string {
  const { summary } = report;
  const failed = report.strict ? "no rule failed" : "no MUST failed";
  const unmet = unmetByLevel(report.rules);
  const verified = report.verify ? `; each rule on ${report.verify} seeds, ${summary.slow ?? 0} slow` : "";
  const alsoUnmet = `${unmet ? `; ${unmet} not met` : ""}${verified}`;
  switch (verdict(report)) {
    case "OK":
      return `OK: every rule checked, ${failed}${alsoUnmet}`;
    case "PARTIAL":
      return `PARTIAL: ${failed} in the ${summary.checked} rule(s) checked, ${summary.skip} not checked${alsoUnmet}${report.failOnSkip ? " (--fail-on-skip: the run fails)" : ""}`;
    case "NOT CONFORMANT":
      return `NOT CONFORMANT: ${unmet} not met${report.strict ? " (strict: every level counts)" : ""}${report.verify ? `; each rule on ${report.verify} seeds, ${summary.unstable ?? 0} unstable, ${summary.slow ?? 0} slow` : ""}`;
    case "UNSTABLE":
      return `UNSTABLE: ${summary.unstable} rule(s) came out differently on the seeds of --verify${alsoUnmet}`;
    case "INTERRUPTED":
      return `INTERRUPTED: the run's time limit stopped it with ${summary.skip} rule(s) not checked${alsoUnmet}`;
    case "NOTHING CHECKED":
      return "NOTHING CHECKED: every selected rule was skipped";
  }
}

/**
 * How much was checked, leading every summary: `4 of 19 rules checked`, then each reason rules were not
 * checked with how many it kept out.
 */
export function coverage(report: Pick<Report, "rules" | "summary">): { headline: string; notChecked: Array<{ rules: number; reason: string }> } {
  const reasons = new Map<string, number>();
  for (const r of report.rules) if (r.outcome === "skip") reasons.set(r.detail.message, (reasons.get(r.detail.message) ?? 0) + 1);
  return {
    headline: `${report.summary.checked} of ${report.summary.total} rules checked`,
    notChecked: [...reasons].map(([reason, rules]) => ({ rules, reason })),
  };
}

/** Whether a rule was checked and not met, whatever its level. */
export const isUnmet = (result: RuleResult) => result.outcome === "fail" || result.outcome === "non-strict" || result.outcome === "timeout";

/** Whether a result fails the run: an unmet MUST always, an unmet SHOULD or MAY only in a strict run. */
export const countsAgainst = (result: RuleResult, strict: boolean) => isUnmet(result) && (strict || result.level === "MUST");

export function summarize(rules: RuleResult[], strict: boolean, failOnSkip = false): Summary {
  const count = (outcome: Outcome) => rules.filter((r) => r.outcome === outcome).length;
  const skip = count("skip");
  const checked = rules.length - skip;
  const failing = rules.filter((r) => countsAgainst(r, strict)).length;
  return {
    total: rules.length,
    checked,
    pass: count("pass"),
    fail: count("fail"),
    "non-strict": count("non-strict"),
    timeout: count("timeout"),
    skip,
    failing,
    // A run in which every rule was skipped checked nothing, and is not a success.
    ok: checked > 0 && failing === 0 && !(failOnSkip && skip > 0),
  };
}

/** Whether a rule ID matches a selector: an ID, or a glob where `*` stands for any run of ID characters (`CAP-QUOTA-*`). */
export function matches(selector: string, id: string): boolean {
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
  return selectFrom(spec.rules, spec.protocol, only, exclude);
}

/** The entries of a catalogue (the server rules, or the client rules) that the selectors leave; see selectRules. */
export function selectFrom<R extends { id: string }>(rules: readonly R[], protocol: string, only?: readonly string[], exclude?: readonly string[]): R[] {
  const selectors = [...(only ?? []), ...(exclude ?? [])];
  const unknown = selectors.filter((s) => !rules.some((r) => matches(s, r.id)));
  if (unknown.length > 0) throw new RangeError(`unknown rule ID for ${protocol}: ${unknown.join(", ")}`);
  return rules.filter((r) => (!only?.length || only.some((s) => matches(s, r.id))) && !exclude?.some((s) => matches(s, r.id)));
}
