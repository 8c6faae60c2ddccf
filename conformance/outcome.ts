import type { Level } from "../spec/protocol.js";
import { formatCaseId } from "./case-id.js";
import { Violation } from "./check.js";
import { leftUnchecked, TooSlowToJudgeError, type ServerExit } from "./target.js";
import type { Outcome, RuleDetail } from "./report.js";

/** A counterexample a property run found: what failed, on which input, and how to run it again. */
export interface Counterexample {
  error: unknown;
  /** The input, as fast-check prints it. */
  input: string;
  /** fast-check's path to it, with the rule's seed. */
  path?: string;
  shrinks: number;
  /** Why shrinking stopped short or did not happen, when it did. */
  shrinkNote?: string;
}

/** What the property runs of one rule showed. */
export interface PropertyEvidence {
  /** Property runs the rule was to make. */
  planned: number;
  /** Property runs made, up to and including a failing one. */
  runs: number;
  /** Runs that could not reach the server (e.g. a bare server's quota was used up): they prove nothing. */
  vacuous: number;
  failure?: Counterexample;
  /** The run's time limit (--max-time) stopped the runs before they were all made. */
  interrupted: boolean;
  /** The rule's time budget (in ms) stopped the runs before they were all made: it is judged on those made. */
  budgetReached?: number;
  /** What the check did, counted for its report line (e.g. "malformed datagrams": 3000). */
  counts: ReadonlyMap<string, number>;
  /** Why each property run the kit was too slow to judge was made again (see SLOW_RUN_RETRIES). */
  slowRetries: readonly string[];
  /** Runs that found nothing wrong while the server's process ended (how it ended, each): they prove nothing. */
  serverEnded: readonly string[];
}

/** Everything the runner learnt of one rule, from which its outcome follows. */
export interface RuleEvidence {
  id: string;
  level: Level;
  /** The run's seed: a case ID and `--seed` name it. */
  seed: number;
  /** Why the rule was not run against this target (it needs servers the target cannot give). */
  skipped?: string;
  /** The check could not go on: the target failed to start a server, or the check itself broke. */
  error?: unknown;
  /** A recorded fixture whose replay differed. */
  fixture?: { file: string; error: unknown };
  /** Fixtures replayed without a difference. */
  replayed: number;
  property?: PropertyEvidence;
  /** A replay of one case (`sockspec replay`): its path, how often it was run, and whether its failure depends on timing. */
  replay?: { path: string; attempts: number; timing: boolean };
}

export interface Classified {
  outcome: Outcome;
  detail: RuleDetail;
}

/** A rule not met: silence is a timeout, a wrong answer or a crash fails a MUST and is non-strict for a SHOULD or MAY. */
export function unmetOutcome(level: Level, error: unknown): Outcome {
  if (error instanceof Violation && error.kind === "silence") return "timeout";
  return level === "MUST" ? "fail" : "non-strict";
}

/**
 * The outcome of a rule from its evidence, and the words for it. A failure found is never lost: whatever
 * else happened (an interruption, shrinking cut short), a counterexample makes the rule unmet. A rule is
 * passed only when property runs reached the server and none failed; anything that could not check it is
 * a skip that says why.
 */
export function classify(evidence: RuleEvidence): Classified {
  const { level, skipped, fixture, property, replay } = evidence;
  if (skipped !== undefined) return { outcome: "skip", detail: { message: skipped } };
  const retried = retriesDetail(property);
  // A server that cannot be started shows nothing about the rule: the rule is not checked, and says why.
  const notStarted = [evidence.error, property?.failure?.error].find(leftUnchecked);
  if (notStarted) {
    const again =
      notStarted instanceof TooSlowToJudgeError && retried ? ` (made again ${retried.retries.count} time(s), on fresh servers, and never judged)` : "";
    return { outcome: "skip", detail: { message: `not checked: ${notStarted.message}${again}`, ...retried } };
  }
  if (evidence.error !== undefined)
    return {
      outcome: unmetOutcome(level, evidence.error),
      detail: { message: `the check could not complete: ${String(evidence.error)}`, ...errorDetail(evidence.error) },
    };
  if (fixture) {
    return {
      outcome: unmetOutcome(level, fixture.error),
      detail: { message: `replay of ${fixture.file} differs`, fixture: fixture.file, ...errorDetail(fixture.error) },
    };
  }
  if (!property) throw new Error(`rule ${evidence.id} has neither a skip nor property runs`);
  const { failure } = property;
  if (failure) return { outcome: unmetOutcome(level, failure.error), detail: { ...failureDetail(evidence, property, failure), ...retried } };
  const effective = property.runs - property.vacuous - property.serverEnded.length;
  if (replay) {
    if (replay.timing)
      return {
        outcome: "skip",
        detail: {
          message: `not reproduced in ${replay.attempts} attempt(s); ${evidence.id} depends on timing, so a replay that passes proves nothing`,
          runs: property.runs,
          seed: evidence.seed,
        },
      };
    return {
      outcome: "pass",
      detail: { message: `the case at path ${replay.path} passed: the server no longer fails it`, runs: effective, seed: evidence.seed },
    };
  }
  if (property.interrupted)
    return {
      outcome: "skip",
      detail: { message: `not finished: the run's time limit (--max-time) stopped it after ${property.runs} of ${property.planned} property run(s)` },
    };
  if (effective === 0 && evidence.replayed === 0) {
    const [ended] = property.serverEnded;
    const message =
      ended !== undefined
        ? `not checked: in each run that found nothing wrong, ${ended.replace(/ during the run$/, "")} during the run, so none showed the rule met`
        : property.budgetReached !== undefined
          ? `not checked: no property run ended within the rule's time budget of ${Math.round(property.budgetReached / 1000)} s`
          : "the server's quota was used up before this check could run";
    return { outcome: "skip", detail: { message, runs: 0 } };
  }
  const ofPlanned = property.budgetReached !== undefined ? ` of ${property.planned}` : "";
  const budgetNote = property.budgetReached !== undefined ? ` (the rule's time budget of ${Math.round(property.budgetReached / 1000)} s ran out)` : "";
  const fixtureNote = evidence.replayed > 0 ? ` and ${evidence.replayed} fixture replay(s)` : "";
  const countsNote = [...property.counts].map(([what, n]) => `, ${n} ${what}`).join("");
  const vacuousNote = property.vacuous > 0 ? ` (${property.vacuous} more found the server's quota used up)` : "";
  const endedNote = property.serverEnded.length > 0 ? ` (${property.serverEnded.length} more did not count: ${property.serverEnded[0]})` : "";
  const retriedNote = retried ? `; ${retried.retries.count} made again after the kit was too slow to judge them` : "";
  return {
    outcome: "pass",
    detail: {
      message: `${effective}${ofPlanned} property run(s)${budgetNote}${fixtureNote}${countsNote}${vacuousNote}${endedNote}${retriedNote}`,
      runs: effective + evidence.replayed,
      seed: evidence.seed,
      ...retried,
    },
  };
}

/** How many property runs were made again because the kit was too slow to judge them, and why (each reason once). */
function retriesDetail(property: PropertyEvidence | undefined): Required<Pick<RuleDetail, "retries">> | undefined {
  const why = property?.slowRetries ?? [];
  return why.length > 0 ? { retries: { count: why.length, why: [...new Set(why)] } } : undefined;
}

function failureDetail(evidence: RuleEvidence, property: PropertyEvidence, failure: Counterexample): RuleDetail {
  const { error } = failure;
  const shrunk = `shrunk ${failure.shrinks} time(s)${failure.shrinkNote ? ` (${failure.shrinkNote})` : ""}`;
  const found = evidence.replay ? `failed at path ${evidence.replay.path}` : `falsified after ${property.runs} run(s), ${shrunk}`;
  const message =
    error instanceof Violation ? (error.exit ? `${found}: ${endedHow(error.exit)}` : found) : `${found}: the check could not complete: ${String(error)}`;
  return {
    message,
    runs: property.runs + evidence.replayed,
    counterexample: failure.input,
    seed: evidence.seed,
    ...(failure.path !== undefined ? { path: failure.path, case: formatCaseId({ rule: evidence.id, seed: evidence.seed, path: failure.path }) } : {}),
    ...errorDetail(error),
  };
}

/** A server's exit in a word: an exit with code 0 is no crash, though it ended a run that needed the server. */
function endedHow(exit: ServerExit): string {
  return exit.code === 0 && exit.signal === null ? "the server exited (code 0)" : "the server crashed";
}

function errorDetail(error: unknown): Pick<RuleDetail, "expected" | "actual" | "transcript"> {
  if (!(error instanceof Violation)) return {};
  return { expected: error.expected, actual: error.actual, ...(error.transcript ? { transcript: error.transcript } : {}) };
}
