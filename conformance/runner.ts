import fc from "fast-check";
import type { Rule } from "../spec/protocol.js";
import { formatCaseId } from "./case-id.js";
import { count, Violation, type CheckContext, type CheckSession, type RuleCheck, type Timeouts } from "./check.js";
import { fixturesFor, loadFixtures, type Fixture } from "./fixtures.js";
import { replay } from "./replay.js";
import { selectRules, summarize, unmet, type Report, type RuleDetail, type RuleResult } from "./report.js";
import { spawnTarget } from "./spawn.js";
import { suiteOf, type Suite } from "./suites.js";
import { TcpConnection } from "../transport/tcp-connection.js";
import { addressTarget, TargetUnavailableError, type Target } from "./target.js";

/** The seed used unless one is given, so that two runs of the same kit agree. */
export const DEFAULT_SEED = 20261125;
export const DEFAULT_RUNS = 100;
export const DEFAULT_TIMEOUTS: Timeouts = { replyMs: 2000, settleMs: 100, udpRetries: 0 };
/** How long a failing rule's counterexample is shrunk: runs that restart or kill servers cost seconds each. */
export const DEFAULT_SHRINK_TIME_MS = 20_000;

/** What to check: a host and port, a command that starts servers, or a Target of your own. */
export type TargetOption = { host: string; port: number } | { spawn: string; host?: string; cwd?: string } | Target;

/** Where a rule's check is: its property run `run` of `of`, or a shrinking attempt once it has failed. */
export interface Progress {
  id: string;
  run: number;
  of: number;
  shrinking: boolean;
}

export interface CheckOptions {
  protocol: string;
  /** The built-in reference server when absent. */
  target?: TargetOption;
  seed?: number;
  /** Property runs per rule; checks that start a server per run scale it down. */
  runs?: number;
  /**
   * Limits the target's servers are configured with where they differ from the spec's, e.g.
   * `{ challengeTimeoutMs: 2000 }`; only a suite's tunable limits may be given.
   */
  limits?: Readonly<Record<string, number>>;
  /** Check only these rules: IDs or globs (`CAP-QUOTA-*`). */
  only?: readonly string[];
  /** Leave out these rules: IDs or globs. */
  exclude?: readonly string[];
  /** Count unmet SHOULDs against the verdict. */
  strict?: boolean;
  timeouts?: Partial<Timeouts>;
  /** How long to shrink a counterexample before reporting the smallest found so far. */
  shrinkTimeMs?: number;
  /**
   * Runs only the property run at this fast-check path (from a case ID, with its seed), as it is: no
   * fixtures, no other runs, no further shrinking.
   */
  path?: string;
  /**
   * How long the whole run may take. A rule under way stops after its current property run and is
   * skipped as interrupted, the rules after it are not run, and the report says `interrupted`.
   */
  maxTimeMs?: number;
  /** Called once the target is known and before any rule runs, for progress output. */
  onStart?: (header: Pick<Report, "protocol" | "target" | "seed" | "runs" | "limits">) => void;
  /** Called as each rule's result is known, for progress output. */
  onResult?: (result: RuleResult) => void;
  /** Called as each property run of a rule starts (and as each shrinking attempt does), for progress output. */
  onProgress?: (progress: Progress) => void;
}

function resolveTarget(suite: Suite, option: TargetOption | undefined, limits: Readonly<Record<string, number>>): Target {
  if (option === undefined) return suite.reference(limits);
  if ("start" in option) return { ...option, limits: { ...option.limits, ...limits } };
  if ("spawn" in option) {
    const transport = suite.spec.transport === "udp" ? "udp" : "tcp";
    return { ...spawnTarget(option.spawn, { host: option.host ?? "127.0.0.1", cwd: option.cwd, transport }), limits };
  }
  return { ...addressTarget(option.host, option.port), limits };
}

/** The limits option, checked against what the suite lets a server configure. */
function checkedLimits(suite: Suite, limits: Readonly<Record<string, number>> = {}): Readonly<Record<string, number>> {
  for (const [name, value] of Object.entries(limits)) {
    if (!suite.tunableLimits.includes(name))
      throw new RangeError(`${suite.spec.protocol} has no tunable limit "${name}" (tunable: ${suite.tunableLimits.join(", ") || "none"})`);
    if (!Number.isSafeInteger(value) || value < 1) throw new RangeError(`limit ${name} must be a positive integer, got ${value}`);
  }
  return limits;
}

/**
 * Checks a server against every rule of a protocol's catalogue and returns the report. Rejects with a
 * TargetUnavailableError when the target cannot be reached or started, and a RangeError for bad options.
 */
export async function check(options: CheckOptions): Promise<Report> {
  const suite = suiteOf(options.protocol);
  const rules = selectRules(suite.spec, options.only, options.exclude);
  if (options.path !== undefined && rules.length !== 1) throw new RangeError(`a path replays one rule's case, but ${rules.length} rules are selected`);
  const target = resolveTarget(suite, options.target, checkedLimits(suite, options.limits));
  const spec = { ...suite.spec, limits: { ...suite.spec.limits, ...target.limits } };
  const seed = options.seed ?? DEFAULT_SEED;
  const runs = options.runs ?? DEFAULT_RUNS;
  const strict = options.strict ?? false;
  const ctx: CheckContext = { spec, target, timeouts: { ...DEFAULT_TIMEOUTS, ...options.timeouts }, runs };
  const fixtures = loadFixtures(suite.spec.protocol);
  // UDP has no connection to probe, and a datagram would make the probe the original bank's first client.
  const probe = target.fresh || suite.spec.transport === "udp" ? undefined : await connectProbe(target);
  const limits = target.limits && Object.keys(target.limits).length > 0 ? { ...target.limits } : undefined;
  options.onStart?.({ protocol: suite.spec.protocol, target: target.label, seed, runs, limits });

  const results: RuleResult[] = [];
  const settings: RunSettings = {
    seed,
    path: options.path,
    shrinkTimeMs: options.shrinkTimeMs ?? DEFAULT_SHRINK_TIME_MS,
    deadline: options.maxTimeMs === undefined ? Infinity : performance.now() + options.maxTimeMs,
    onProgress: options.onProgress,
  };
  let interrupted = false;
  try {
    for (const rule of rules) {
      const ruleCheck = suite.checks.find((c) => c.id === rule.id);
      if (!ruleCheck) throw new Error(`rule ${rule.id} has no check`);
      const started = performance.now();
      const outcome =
        started >= settings.deadline
          ? { id: rule.id, level: rule.level, outcome: "skip" as const, detail: { message: "not run: the run's time limit (--max-time) was reached" } }
          : await checkRule(rule, ruleCheck, fixturesFor(fixtures, rule.id), ctx, settings);
      interrupted ||= outcome.outcome === "skip" && performance.now() >= settings.deadline;
      const result: RuleResult = { ...outcome, detail: { statement: rule.statement, ...outcome.detail, ms: Math.round(performance.now() - started) } };
      results.push(result);
      options.onResult?.(result);
    }
  } finally {
    probe?.close();
  }
  const summarized = summarize(results, strict);
  // An interrupted run has not checked everything it was asked to: it is no success either.
  const summary = interrupted ? { ...summarized, ok: false } : summarized;
  return { protocol: suite.spec.protocol, target: target.label, seed, runs, limits, strict, ...(interrupted ? { interrupted } : {}), rules: results, summary };
}

/**
 * A bare host/port must accept a connection. The probe stays open until the run ends: to the original
 * capitalizer a client that closes costs a sentence.
 */
async function connectProbe(target: Target): Promise<TcpConnection> {
  const server = await target.start();
  return TcpConnection.open(server.host, server.port, "probe").catch((error: Error) => {
    throw new TargetUnavailableError(error.message);
  });
}

/** What every rule's check of one run shares. */
interface RunSettings {
  seed: number;
  path?: string;
  shrinkTimeMs: number;
  /** performance.now() past which no property run starts. */
  deadline: number;
  onProgress?: (progress: Progress) => void;
}

async function checkRule(rule: Rule, ruleCheck: RuleCheck, fixtures: Fixture[], ctx: CheckContext, settings: RunSettings): Promise<RuleResult> {
  const { seed, path: casePath, shrinkTimeMs, onProgress } = settings;
  const result = (outcome: RuleResult["outcome"], detail: RuleDetail): RuleResult => ({ id: rule.id, level: rule.level, outcome, detail });
  if (rule.needs !== "any-server" && !ctx.target.fresh) {
    return result("skip", {
      message: "needs servers of its own (it changes the server's state for good); use --spawn to let the runner start them, or --reset CMD",
    });
  }
  if ((rule.needs === "restartable-server" || rule.needs === "killable-server") && !ctx.target.restartable) {
    return result("skip", { message: "restarts servers on their own files, in folders it chooses: use --spawn" });
  }
  if (rule.needs === "killable-server" && !ctx.target.killable) {
    return result("skip", { message: "kills servers (SIGKILL), which needs servers in processes of their own: use --spawn" });
  }
  try {
    let fixtureRetries = 0;
    for (const fixture of ctx.target.fresh && casePath === undefined ? fixtures : []) {
      const server = await ctx.target.start();
      try {
        fixtureRetries += (await replay(fixture.transcript, server, ctx.spec.transport === "udp" ? "udp" : "tcp", ctx.timeouts)).udpRetries;
      } catch (error) {
        if (!(error instanceof Violation)) throw error;
        return result(unmet(rule, error.timedOut), { message: `replay of ${fixture.file} differs`, fixture: fixture.file, ...violationDetail(error) });
      } finally {
        await server.stop();
      }
    }
    const replayed = ctx.target.fresh && casePath === undefined ? fixtures.length : 0;
    const session: CheckSession = { vacuousRuns: 0, counts: new Map(), cleanups: [] };
    if (fixtureRetries > 0) count(session, "UDP retries", fixtureRetries);
    const numRuns = ruleCheck.runs(ctx.runs);
    let details: fc.RunDetails<unknown>;
    let shrinkCut = false;
    try {
      let [run, shrinking] = [0, false];
      const property = ruleCheck.property(ctx, session).beforeEach(async (previous) => {
        await previous();
        onProgress?.({ id: rule.id, run: ++run, of: numRuns, shrinking });
      });
      const remaining = settings.deadline - performance.now();
      details = await fc.check(property, {
        seed,
        numRuns,
        endOnFailure: true,
        ...(casePath !== undefined ? { path: casePath } : {}),
        ...(Number.isFinite(remaining) ? { interruptAfterTimeLimit: Math.max(1, remaining) } : {}),
      });
      shrinking = true;
      // Shrinking replays the failing run from its path, within a time budget: the best counterexample so far is kept.
      if (details.failed && details.counterexamplePath !== null && shrinkTimeMs > 0 && casePath === undefined) {
        const path = details.counterexamplePath;
        const shrunk = await fc.check(property, { seed, numRuns, path, interruptAfterTimeLimit: shrinkTimeMs });
        if (shrunk.failed) {
          shrinkCut = shrunk.interrupted;
          details = { ...shrunk, numRuns: details.numRuns };
        }
      }
    } finally {
      for (const cleanup of session.cleanups) await cleanup();
    }
    // Interrupted without a counterexample: the time limit, not the server, ended this check.
    if (details.interrupted && !(details.errorInstance instanceof Violation)) {
      return result("skip", { message: `interrupted by the run's time limit (--max-time) after ${details.numRuns} of ${numRuns} property run(s)` });
    }
    if (details.failed) {
      const error = details.errorInstance;
      if (error instanceof TargetUnavailableError) throw error;
      if (!(error instanceof Violation)) {
        return result(unmet(rule), { message: `the check could not complete: ${String(error)}`, seed: details.seed, runs: details.numRuns });
      }
      return result(unmet(rule, error.timedOut), {
        message: `falsified after ${details.numRuns} run(s), shrunk ${details.numShrinks} time(s)${shrinkCut ? ` (shrinking stopped after ${shrinkTimeMs} ms)` : ""}`,
        runs: details.numRuns + replayed,
        counterexample: fc.stringify(details.counterexample),
        seed: details.seed,
        ...(details.counterexamplePath !== null
          ? { path: details.counterexamplePath, case: formatCaseId({ rule: rule.id, seed: details.seed, path: details.counterexamplePath }) }
          : {}),
        ...violationDetail(error),
      });
    }
    const effective = details.numRuns - session.vacuousRuns;
    if (effective === 0 && replayed === 0) return result("skip", { message: "the server's quota was used up before this check could run", runs: 0 });
    const fixtureNote = replayed > 0 ? ` and ${replayed} fixture replay(s)` : "";
    const vacuousNote = session.vacuousRuns > 0 ? ` (${session.vacuousRuns} more found the server's quota used up)` : "";
    const countsNote = [...session.counts].map(([what, n]) => `, ${n} ${what}`).join("");
    if (casePath !== undefined) return result("pass", { message: `the case at path ${casePath} passed: the server no longer fails it`, runs: effective, seed });
    return result("pass", { message: `${effective} property run(s)${fixtureNote}${countsNote}${vacuousNote}`, runs: effective + replayed, seed });
  } catch (error) {
    if (error instanceof Violation) return result(unmet(rule, error.timedOut), { message: "the check failed", ...violationDetail(error) });
    throw error;
  }
}

function violationDetail(error: Violation): Pick<RuleDetail, "expected" | "actual" | "transcript"> {
  return { expected: error.expected, actual: error.actual, ...(error.transcript ? { transcript: error.transcript } : {}) };
}
