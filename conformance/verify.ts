import type { Margin } from "../transport/margins.js";
import type { Outcome, RuleResult } from "./report.js";

/** A rule is slow when an answer it waited for took at least this share of the reply timeout. */
export const SLOW_SHARE = 0.8;

/** One rule's check on one of the seeds of `--verify`: its result, and how close its answers came to the reply timeout. */
export interface VerifiedRun {
  seed: number;
  result: RuleResult;
  margin: Margin;
}

/** How bad an outcome is, to pick the one a rule checked on several seeds reports: an unmet rule is never hidden. */
const severity: Record<Outcome, number> = { pass: 0, skip: 1, "non-strict": 2, timeout: 3, fail: 4 };

/**
 * One rule checked on several seeds, as one result: the worst outcome of the seeds that judged it (a
 * falsified rule is never a pass or a skip; a seed that could not judge it, a skip, flips nothing), with
 * every seed's outcome, whether the judged ones differ (unstable), and whether an answer came within
 * (1 - SLOW_SHARE) of the reply timeout (slow), said in its message.
 */
export function mergeVerified(runs: readonly VerifiedRun[]): RuleResult {
  const judged = runs.filter((run) => run.result.outcome !== "skip");
  const worst = (judged.length > 0 ? judged : runs).reduce((a, b) => (severity[b.result.outcome] > severity[a.result.outcome] ? b : a));
  const outcomes = runs.map((run) => run.result.outcome);
  const unstable = new Set(judged.map((run) => run.result.outcome)).size > 1;
  const unjudged = judged.length > 0 ? runs.filter((run) => run.result.outcome === "skip") : [];
  const closest = runs.reduce((a, b) => (b.margin.waitedMs > a.margin.waitedMs ? b : a)).margin;
  const slow = closest.waitedMs >= SLOW_SHARE * closest.limitMs;
  const { detail } = worst.result;
  const unstableNote = unstable ? `unstable over ${runs.length} seeds (${runs.map((run) => `${run.seed}: ${run.result.outcome}`).join(", ")}): ` : "";
  const slowNote = slow ? `; slow: an answer took ${Math.round(closest.waitedMs)} ms of its ${closest.limitMs} ms reply timeout` : "";
  const unjudgedNote =
    unjudged.length > 0 ? `; not checked on ${unjudged.length} of ${runs.length} seeds (${unjudged[0]!.seed}: ${unjudged[0]!.result.detail.message})` : "";
  return {
    ...worst.result,
    detail: {
      ...detail,
      message: `${unstableNote}${detail.message}${unjudgedNote}${slowNote}`,
      verify: { seeds: runs.map((run) => run.seed), outcomes, unstable, slow, closestAnswerMs: Math.round(closest.waitedMs) },
    },
  };
}
