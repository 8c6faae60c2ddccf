import { writeFileSync } from "node:fs";
import { readJson } from "../spec/read-json.js";
import { assertValid } from "../spec/validator.js";
import { isUnmet, type Report, type RuleResult } from "./report.js";

/** Rules a server is known not to meet, with the reason (spec/schemas/baseline.schema.json). */
export interface Baseline {
  protocol: string;
  server?: string;
  /** The entries come from reading the server's source, not from a run. */
  readFromSource?: boolean;
  accepted: Array<{ id: string; reason: string }>;
}

/** A run measured against a baseline. */
export interface BaselineVerdict {
  /** Unmet rules the baseline does not accept: the run fails on these. */
  newFailures: RuleResult[];
  /** Accepted rules that were met this time: the baseline can be pruned of them. */
  nowPassing: string[];
  /** Accepted rules this run did not check (skipped or not selected). */
  unchecked: string[];
  ok: boolean;
}

export function loadBaseline(file: string): Baseline {
  const baseline = readJson(file);
  assertValid("baseline.schema.json", baseline, file);
  return baseline as Baseline;
}

export function compareBaseline(report: Report, baseline: Baseline): BaselineVerdict {
  if (baseline.protocol !== report.protocol) throw new RangeError(`the baseline is for ${baseline.protocol}, the run for ${report.protocol}`);
  const accepted = new Set(baseline.accepted.map((a) => a.id));
  const outcome = new Map(report.rules.map((r) => [r.id, r.outcome]));
  const newFailures = report.rules.filter((r) => isUnmet(r) && !accepted.has(r.id));
  const nowPassing = [...accepted].filter((id) => outcome.get(id) === "pass");
  const unchecked = [...accepted].filter((id) => outcome.get(id) === undefined || outcome.get(id) === "skip");
  return { newFailures, nowPassing, unchecked, ok: newFailures.length === 0 };
}

/**
 * The baseline that accepts exactly this run's unmet rules, and keeps the entries of the rules the run did
 * not check (skipped or not selected: it showed nothing about them): reasons already given are kept, new
 * entries say what was observed (edit them into reasons). `prune` only drops the entries that now pass.
 */
export function updatedBaseline(report: Report, previous: Baseline | undefined, mode: "update" | "prune"): Baseline {
  const reasons = new Map(previous?.accepted.map((a) => [a.id, a.reason]));
  const outcome = new Map(report.rules.map((r) => [r.id, r.outcome]));
  const unchecked = (previous?.accepted ?? []).filter((a) => outcome.get(a.id) === undefined || outcome.get(a.id) === "skip");
  const unmet = report.rules.filter(isUnmet).map((r) => ({ id: r.id, reason: reasons.get(r.id) ?? `observed: ${r.detail.actual ?? r.detail.message}` }));
  const kept = mode === "prune" ? (previous?.accepted ?? []).filter((a) => outcome.get(a.id) !== "pass") : [...unmet, ...unchecked];
  return { protocol: report.protocol, ...(previous?.server ? { server: previous.server } : {}), accepted: kept };
}

export function saveBaseline(file: string, baseline: Baseline): void {
  writeFileSync(file, `${JSON.stringify(baseline, null, 2)}\n`);
}
