import fc from "fast-check";
import { ServerEndedError, type RuleState } from "./check.js";
import type { Counterexample, PropertyEvidence } from "./outcome.js";
import { leftUnchecked, NotCheckableError, TooSlowToJudgeError } from "./target.js";

export interface PropertySettings {
  /** The rule's own seed (see ruleSeed). */
  seed: number;
  numRuns: number;
  /** Replays only the case at this path, up to `attempts` times, until it fails. */
  path?: string;
  attempts?: number;
  /** performance.now() past which no property run starts (--max-time). */
  deadline: number;
  /**
   * The most the rule's property runs may take in all (Infinity: no limit): past it no run starts, and the
   * rule is judged on the runs made, saying so, so that no rule dominates a check.
   */
  budgetMs?: number;
  /**
   * The most one property run may take (undefined: no limit): a run still under way then proves nothing
   * either way (its check waits on something that never comes), and the rule is not checked, saying so.
   */
  runCeilingMs?: number;
  /** The most a counterexample is shrunk for; the budget is smaller for cheap runs (see shrinkBudget). */
  shrinkTimeMs: number;
  /** Called as each property run starts, and each shrinking attempt. */
  onRun?: (run: number, shrinking: boolean) => void;
}

/**
 * Shrinking makes at most this many runs, a count rather than a time, so that the counterexample a rule
 * reports does not depend on how busy the machine was; the shrink time caps it for slow runs.
 */
export const SHRINK_STEPS = 100;
/** Fewer runs than this fit in the shrink time: shrinking would only replay the failure, so it is not tried. */
const MIN_SHRINK_RUNS = 3;
/**
 * How often a property run the kit was too slow to judge (TooSlowToJudgeError) is made again, each time with
 * a fresh server where the check starts one per run, before the rule counts as not checked. A failure is
 * never made again: only a run that proved nothing either way.
 */
export const SLOW_RUN_RETRIES = 3;

/**
 * Runs a rule's property and, when it fails, shrinks the counterexample within a budget. The first
 * counterexample is kept unless shrinking finds a smaller one that fails too, so an interrupted or
 * fruitless shrink never loses it.
 */
export async function runProperty(build: (state: RuleState) => fc.IAsyncPropertyWithHooks<unknown>, settings: PropertySettings): Promise<PropertyEvidence> {
  const state: RuleState = { vacuousRuns: 0, counts: new Map(), cleanups: [] };
  let [run, shrinking] = [0, false];
  const slowRetries: string[] = [];
  const serverEnded: string[] = [];
  let cutByDeadline = false;
  /** Runs that ended of themselves, outside shrinking: a run cut by the deadline is not among them. */
  let ended = 0;
  const property = judgedRuns(
    build(state).beforeEach(async (previous) => {
      await previous();
      settings.onRun?.(++run, shrinking);
    }),
    {
      retried: (why) => void (shrinking || slowRetries.push(why)),
      ended: (why) => void (shrinking || serverEnded.push(why)),
      cut: () => void (cutByDeadline = true),
      ran: () => void (shrinking || ended++),
    },
    { deadline: settings.deadline, ceilingMs: settings.runCeilingMs },
  );
  let budgetEnds = Infinity;
  const evidence = (details: Pick<fc.RunDetails<unknown>, "numRuns" | "interrupted">, failure?: Counterexample): PropertyEvidence => ({
    planned: settings.numRuns,
    // fast-check may or may not count a run that the deadline cut: the runs made are those that ended.
    runs: cutByDeadline ? Math.min(ended, details.numRuns) : details.numRuns,
    vacuous: state.vacuousRuns,
    // Cut short by the rule's budget when that came first, else by the run's deadline (--max-time), which
    // also stops a property run under way.
    interrupted: cutByDeadline || (details.interrupted && budgetEnds > settings.deadline),
    budgetReached: details.interrupted && budgetEnds <= settings.deadline ? settings.budgetMs! : undefined,
    counts: state.counts,
    slowRetries,
    serverEnded,
    ...(failure ? { failure } : {}),
  });
  try {
    const { seed, numRuns, path } = settings;
    if (path !== undefined) {
      // One case, run as it is (no shrinking), as often as asked: a timing-dependent failure may take several.
      const attempts = settings.attempts ?? 1;
      for (let attempt = 1; attempt <= attempts; attempt++) {
        // Only the run at the path: from there fast-check would go on with the runs after it.
        const details = await fc.check(atMostRuns(property, 1), { seed, numRuns, path, endOnFailure: true });
        const failure = counterexampleOf(details);
        if (failure) return evidence({ numRuns: attempt, interrupted: false }, failure);
      }
      return evidence({ numRuns: attempts, interrupted: false });
    }
    const started = performance.now();
    budgetEnds = started + (settings.budgetMs ?? Infinity);
    const remaining = Math.min(settings.deadline, budgetEnds) - started;
    const details = await fc.check(property, {
      seed,
      numRuns,
      endOnFailure: true,
      ...(Number.isFinite(remaining) ? { interruptAfterTimeLimit: Math.max(1, remaining) } : {}),
    });
    const found = counterexampleOf(details);
    if (!found) return evidence(details);
    // A run that could not be judged is no counterexample: there is nothing to shrink.
    if (leftUnchecked(found.error)) return evidence(details, found);
    shrinking = true;
    run = 0;
    const runMs = (performance.now() - started) / Math.max(1, details.numRuns);
    return evidence(details, await shrink(property, found, runMs, settings));
  } finally {
    for (const cleanup of state.cleanups) await cleanup();
  }
}

/** The failure a check found, or undefined when it found none (it passed, or was interrupted first). */
function counterexampleOf(details: fc.RunDetails<unknown>): Counterexample | undefined {
  if (!details.failed || details.counterexample === null || details.errorInstance === null || details.errorInstance === undefined) return undefined;
  return {
    error: details.errorInstance,
    input: fc.stringify(plainData(details.counterexample)),
    ...(details.counterexamplePath !== null ? { path: details.counterexamplePath } : {}),
    shrinks: details.numShrinks,
  };
}

/**
 * The input with fast-check's null-prototype records (fc.record's) turned into plain objects, so that a
 * counterexample prints as the data it is (`{"a":1}`, not `{__proto__:null,"a":1}`). Anything else (a
 * typed array, a value that prints itself) is left as it is.
 */
export function plainData(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(plainData);
  if (value === null || typeof value !== "object" || Object.getPrototypeOf(value) !== null) return value;
  return Object.fromEntries(Object.entries(value).map(([key, field]) => [key, plainData(field)]));
}

/** How long shrinking may take for runs that cost runMs each, or why it is not tried. */
export function shrinkBudget(runMs: number, shrinkTimeMs: number, remainingMs: number): number | string {
  if (shrinkTimeMs === 0) return "not shrunk";
  const budget = Math.min(shrinkTimeMs, remainingMs);
  if (runMs * MIN_SHRINK_RUNS > budget) return `not shrunk: one run takes ${(runMs / 1000).toFixed(1)} s, too long to shrink within ${Math.round(budget)} ms`;
  return Math.ceil(budget);
}

/** The smallest counterexample that still fails within the budget, or the one found when there is none. */
async function shrink(property: fc.IRawProperty<unknown, true>, found: Counterexample, runMs: number, settings: PropertySettings): Promise<Counterexample> {
  const budget = shrinkBudget(runMs, settings.shrinkTimeMs, settings.deadline - performance.now());
  if (typeof budget === "string" || found.path === undefined) return { ...found, ...(typeof budget === "string" ? { shrinkNote: budget } : {}) };
  const shrunk = await fc.check(atMostRuns(property, SHRINK_STEPS), {
    seed: settings.seed,
    numRuns: settings.numRuns,
    path: found.path,
    interruptAfterTimeLimit: budget,
  });
  // A server that would not start while shrinking shows nothing about the rule: it replaces no counterexample.
  const shrunkTo = counterexampleOf(shrunk);
  const smaller = leftUnchecked(shrunkTo?.error) ? undefined : shrunkTo;
  if (!smaller && shrunk.interrupted) return { ...found, shrinkNote: `not shrunk: the shrink budget of ${budget} ms ran out first` };
  // The failure depends on timing: replayed, the same input passed.
  if (!smaller) return { ...found, shrinkNote: "not shrunk: the failing run passed when replayed" };
  return shrunk.interrupted ? { ...smaller, shrinkNote: `shrinking stopped after ${budget} ms` } : smaller;
}

/** A property run still under way when its ceiling passed: it proved nothing, and the rule is not checked. */
export class RunCeilingError extends NotCheckableError {}

/**
 * The property, with the runs that could not judge the rule set apart: one the kit was too slow to judge
 * (TooSlowToJudgeError) is made again, hooks and all (so a check that starts a server per run starts a fresh
 * one), up to SLOW_RUN_RETRIES times; one that found nothing wrong while the server's process ended
 * (ServerEndedError) counts as no run at all. Each is told, with why. A run is not waited for past the run's
 * deadline (--max-time: it is cut, and told) nor past its ceiling (a RunCeilingError); the hooks after it
 * then stop its server, which ends what it was waiting on.
 */
function judgedRuns<T>(
  property: fc.IAsyncPropertyWithHooks<T>,
  told: { retried(why: string): void; ended(why: string): void; cut(): void; ran(): void },
  limits: { deadline: number; ceilingMs?: number },
): fc.IRawProperty<T, true> {
  const bounded = async (input: T): Promise<fc.PreconditionFailure | fc.PropertyFailure | null> => {
    const timers: NodeJS.Timeout[] = [];
    const after = <V>(ms: number, value: V) => new Promise<V>((resolve) => timers.push(setTimeout(resolve, Math.max(0, ms), value)));
    const running = property.run(input);
    running.catch(() => {}); // a run left behind must not end up an unhandled rejection
    const ends: Array<Promise<Awaited<typeof running> | "deadline" | "ceiling">> = [running];
    if (Number.isFinite(limits.deadline)) ends.push(after(limits.deadline - performance.now(), "deadline" as const));
    if (limits.ceilingMs !== undefined) ends.push(after(limits.ceilingMs, "ceiling" as const));
    const outcome = await Promise.race(ends);
    for (const timer of timers) clearTimeout(timer);
    if (outcome === "deadline") {
      told.cut();
      return null; // not a pass: the cut makes the rule not finished
    }
    if (outcome === "ceiling")
      return {
        error: new RunCeilingError(`a property run did not end within ${inWords(limits.ceilingMs!)}: its check waits for something that never comes`),
      };
    told.ran();
    return outcome;
  };
  const run = async (input: T, retries = 0): Promise<fc.PreconditionFailure | fc.PropertyFailure | null> => {
    const outcome = await bounded(input);
    const error = outcome !== null && "error" in outcome ? outcome.error : undefined;
    if (error instanceof ServerEndedError) {
      told.ended(error.message);
      return null;
    }
    if (!(error instanceof TooSlowToJudgeError) || retries >= SLOW_RUN_RETRIES) return outcome;
    told.retried(error.message);
    await property.runAfterEach();
    await property.runBeforeEach();
    return run(input, retries + 1);
  };
  return {
    isAsync: () => true,
    generate: (mrng, runId) => property.generate(mrng, runId),
    shrink: (value) => property.shrink(value),
    runBeforeEach: () => property.runBeforeEach(),
    run: (input) => run(input),
    runAfterEach: () => property.runAfterEach(),
  };
}

/** The property, whose runs after the first `steps` pass without being made: fast-check's shrinking then stops there. */
function atMostRuns<T>(property: fc.IRawProperty<T, true>, steps: number): fc.IRawProperty<T, true> {
  let made = 0;
  let making = false;
  return {
    isAsync: () => true,
    generate: (mrng, runId) => property.generate(mrng, runId),
    shrink: (value) => property.shrink(value),
    runBeforeEach: async () => {
      making = made++ < steps;
      if (making) await property.runBeforeEach();
    },
    run: async (input) => (making ? property.run(input) : null),
    runAfterEach: async () => {
      if (making) await property.runAfterEach();
    },
  };
}

/** A duration in words: whole seconds, or milliseconds under one. */
function inWords(ms: number): string {
  return ms < 1000 ? `${ms} ms` : `${Math.round(ms / 1000)} s`;
}
