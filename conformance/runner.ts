import os from "node:os";
import type { ProtocolSpec, Rule } from "../spec/protocol.js";
import { ruleSeed } from "./case-id.js";
import { blamingCrash, count, ServerEndedError, Violation, type CheckContext, type RuleCheck, type Timeouts } from "./check.js";
import { fixturesFor, loadFixtures, type Fixture } from "./fixtures.js";
import { classify, type RuleEvidence } from "./outcome.js";
import { OrderedResults } from "./ordered-results.js";
import { runPool } from "./pool.js";
import { runProperty } from "./property-run.js";
import { NotDecidingDifference, replay } from "./replay.js";
import { selectRules, summarize, type Report, type RuleResult } from "./report.js";
import { spawnTarget } from "./spawn.js";
import type { ResourceLimits } from "./containment.js";
import { mergeVerified, type VerifiedRun } from "./verify.js";
import { withMargin } from "../transport/margins.js";
import { checksProblem, serverTransport, type ProtocolModule } from "../protocols/protocol-module.js";
import { referenceTarget } from "./reference-target.js";
import { TcpConnection } from "../transport/tcp-connection.js";
import { addressTarget, TargetUnavailableError, type Target } from "./target.js";

/** The seed used unless one is given, so that two runs of the same kit agree. */
export const DEFAULT_SEED = 20261125;
export const DEFAULT_RUNS = 100;
export const DEFAULT_TIMEOUTS: Timeouts = { replyMs: 2000, settleMs: 100, udpRetries: 0 };
/** The most a failing rule's counterexample is shrunk for; cheap runs get less (see shrinkBudget). */
export const DEFAULT_SHRINK_TIME_MS = 20_000;
/**
 * The least time budget of a rule's property runs: past its budget a rule is judged on the runs made. A
 * rule's budget is this or the longest limit a selected rule waits out, whichever is longer, so that a check
 * takes about as long as that limit even against a server that makes every run slow.
 */
export const MIN_RULE_BUDGET_MS = 60_000;
/** How often `sockspec replay` runs a case whose failure depends on timing before it says it was not reproduced. */
export const TIMING_REPLAY_ATTEMPTS = 20;

/**
 * Rules checked side by side by default: most of a rule's time is spent waiting on its servers (starting,
 * answering, limits and reply timeouts waited out), so several per core keep the machine busy without
 * starving the servers.
 */
export function defaultJobs(): number {
  return Math.max(4, 4 * os.availableParallelism());
}

/** What to check: a host and port, a command that starts servers, or a Target of your own. */
export type TargetOption = { host: string; port: number } | { spawn: string; host?: string; cwd?: string; resources?: ResourceLimits } | Target;

/** Where a rule's check is: its property run `run` of `of`, or a shrinking attempt once it has failed. */
export interface Progress {
  id: string;
  run: number;
  of: number;
  shrinking: boolean;
}

/** Something a rule is doing that takes long, said as it starts (e.g. waiting out a limit). */
export interface Note {
  id: string;
  text: string;
  /** How long it will take. */
  ms: number;
}

export interface CheckProtocolOptions {
  /** The protocol: a built-in one (builtInProtocol) or one of your own (see loadProtocolFolder). */
  protocol: ProtocolModule;
  /** The built-in reference server when absent. */
  target?: TargetOption;
  seed?: number;
  /** Property runs per rule; checks that start a server per run scale it down. */
  runs?: number;
  /**
   * Limits the target's servers are configured with where they differ from the spec's, e.g.
   * `{ challengeTimeoutMs: 2000 }`; only the protocol's tunable limits may be given.
   */
  limits?: Readonly<Record<string, number>>;
  /** Check only these rules: IDs or globs (`CAP-QUOTA-*`). */
  only?: readonly string[];
  /** Leave out these rules: IDs or globs. */
  exclude?: readonly string[];
  /** Count unmet SHOULDs against the verdict. */
  strict?: boolean;
  /** A run that leaves rules unchecked (skipped) is no success either. */
  failOnSkip?: boolean;
  timeouts?: Partial<Timeouts>;
  /** The most a counterexample is shrunk for before the smallest found so far is reported. */
  shrinkTimeMs?: number;
  /**
   * Rules checked side by side (default: defaultJobs()), each on servers of its own; a target whose rules
   * share one server (a bare host/port, --reset) is checked one rule at a time. The verdict and every
   * counterexample are the same whatever it is.
   */
  jobs?: number;
  /**
   * Runs only the property run at this fast-check path (from a case ID, with its seed), as it is: no
   * fixtures, no other runs, no further shrinking. A rule whose failure depends on timing is run up to
   * TIMING_REPLAY_ATTEMPTS times.
   */
  path?: string;
  /**
   * Checks each rule on this many seeds (`seed` and those after it), as web-platform-tests' `--verify`
   * does: a rule whose outcome differs between them is unstable, which fails the run; one with an answer
   * within a fifth of the reply timeout is slow. The worst outcome is reported.
   */
  verify?: number;
  /**
   * The most one rule's property runs may take (default: MIN_RULE_BUDGET_MS, or the longest limit a selected
   * rule waits out when that is longer); past it the rule is judged on the runs made, and says so.
   */
  ruleBudgetMs?: number;
  /**
   * How long the whole run may take. Rules under way stop after their current property run and are
   * skipped as not finished, rules not yet started are not run, and the report says `interrupted`.
   */
  maxTimeMs?: number;
  /** Called once the target is known and before any rule runs, for progress output. */
  onStart?: (header: Pick<Report, "protocol" | "target" | "seed" | "runs" | "limits">) => void;
  /** Called with each rule's result, in catalogue order, as soon as it and the rules before it are known. */
  onResult?: (result: RuleResult) => void;
  /** Called as each property run of a rule starts (and as each shrinking attempt does), for progress output. */
  onProgress?: (progress: Progress) => void;
  /** Called when a rule starts something long, such as waiting out a limit, so that a silent minute is explained. */
  onNote?: (note: Note) => void;
}

function resolveTarget(module: ProtocolModule, option: TargetOption | undefined, limits: Readonly<Record<string, number>>): Target {
  if (option === undefined) return referenceTarget(module, limits);
  if ("start" in option) return { ...option, limits: { ...option.limits, ...limits } };
  if ("spawn" in option) {
    const transport = serverTransport(module.spec);
    return { ...spawnTarget(option.spawn, { host: option.host ?? "127.0.0.1", cwd: option.cwd, transport, limits, resources: option.resources }), limits };
  }
  return { ...addressTarget(option.host, option.port), limits };
}

/** The limits option, checked against what the protocol lets a server configure. */
function checkedLimits(module: ProtocolModule, limits: Readonly<Record<string, number>> = {}): Readonly<Record<string, number>> {
  for (const [name, value] of Object.entries(limits)) {
    if (!module.tunableLimits.includes(name))
      throw new RangeError(`${module.spec.protocol} has no tunable limit "${name}" (tunable: ${module.tunableLimits.join(", ") || "none"})`);
    if (!Number.isSafeInteger(value) || value < 1) throw new RangeError(`limit ${name} must be a positive integer, got ${value}`);
  }
  const problem = module.limitsProblem?.(limits);
  if (problem) throw new RangeError(problem);
  return limits;
}

/** What a run checks and how: the protocol, its selected rules with their checks, the target and the settings. */
interface RunPlan {
  module: ProtocolModule;
  rules: Rule[];
  /** The check of each selected rule, in the same order. */
  checks: RuleCheck[];
  target: Target;
  /** The spec with the limits the target's servers run with. */
  spec: ProtocolSpec;
  fixtures: Fixture[];
  seed: number;
  runs: number;
  jobs: number;
  timeouts: Timeouts;
  /** When the run must stop (performance.now() time; Infinity without --max-time). */
  deadline: number;
  /** The most one rule's property runs may take, on one seed. */
  ruleBudgetMs: number;
  /** Seeds each rule is checked on (--verify: several). */
  seeds: number[];
}

/** Stage 1: the options checked and resolved into a plan; a RangeError for a bad one. */
async function planRun(options: CheckProtocolOptions): Promise<RunPlan> {
  const module = options.protocol;
  const rules = selectRules(module.spec, options.only, options.exclude);
  if (options.path !== undefined && rules.length !== 1) throw new RangeError(`a path replays one rule's case, but ${rules.length} rules are selected`);
  const jobs = options.jobs ?? defaultJobs();
  if (!Number.isSafeInteger(jobs) || jobs < 1) throw new RangeError(`jobs must be a positive integer, got ${jobs}`);
  const verify = options.verify ?? 1;
  if (!Number.isSafeInteger(verify) || verify < 1) throw new RangeError(`verify must be a positive integer, got ${verify}`);
  if (verify > 1 && options.path !== undefined) throw new RangeError("a replay runs one case: it cannot be verified on other seeds");
  const seed = options.seed ?? DEFAULT_SEED;
  const target = resolveTarget(module, options.target, checkedLimits(module, options.limits));
  const all = await module.checks();
  const problem = checksProblem(module.spec, all);
  if (problem) throw new RangeError(problem);
  const checks = rules.map((rule) => all.find((c) => c.id === rule.id)!);
  const spec = { ...module.spec, limits: { ...module.spec.limits, ...target.limits } };
  const longestWaitMs = Math.max(0, ...checks.map((c) => c.waitsMs?.(spec.limits) ?? 0));
  return {
    module,
    rules,
    checks,
    target,
    spec,
    fixtures: loadFixtures(module),
    seed,
    seeds: Array.from({ length: verify }, (_, k) => seed + k),
    runs: options.runs ?? DEFAULT_RUNS,
    jobs,
    timeouts: { ...DEFAULT_TIMEOUTS, ...options.timeouts },
    deadline: options.maxTimeMs === undefined ? Infinity : performance.now() + options.maxTimeMs,
    ruleBudgetMs: options.ruleBudgetMs ?? Math.max(MIN_RULE_BUDGET_MS, longestWaitMs),
  };
}

/**
 * The order rules start in (indexes into `rules`): those that wait out a limit first, so that everything
 * else runs while they wait; then those that start the most servers, and restart or kill them; else the
 * catalogue's order.
 */
export function startOrder(rules: readonly Rule[], checks: readonly RuleCheck[], limits: Readonly<Record<string, number>>, runs: number): number[] {
  const startsServers = { "any-server": 0, "fresh-server": 1, "restartable-server": 2, "killable-server": 3 };
  const cost = (i: number) => [checks[i]!.waitsMs?.(limits) ?? 0, startsServers[rules[i]!.needs] * checks[i]!.runs(runs)] as const;
  return rules.map((_, i) => i).sort((a, b) => cost(b)[0] - cost(a)[0] || cost(b)[1] - cost(a)[1] || a - b);
}

/** Stage 2, per rule: its result on each of the run's seeds, merged into one when there are several (--verify). */
async function ruleResult(plan: RunPlan, i: number, options: CheckProtocolOptions): Promise<{ result: RuleResult; interrupted: boolean }> {
  const started = performance.now();
  const { result, interrupted } = await onEverySeed(plan, i, options);
  return { result: { ...result, detail: { ...result.detail, ms: Math.round(performance.now() - started) } }, interrupted };
}

async function onEverySeed(plan: RunPlan, i: number, options: CheckProtocolOptions): Promise<{ result: RuleResult; interrupted: boolean }> {
  if (plan.seeds.length === 1) return ruleResultOnSeed(plan, i, options, plan.seed);
  const runs: VerifiedRun[] = [];
  let interrupted = false;
  for (const seed of plan.seeds) {
    const { result, margin } = await withMargin(plan.timeouts.replyMs, () => ruleResultOnSeed(plan, i, options, seed));
    runs.push({ seed, result: result.result, margin });
    interrupted ||= result.interrupted;
  }
  return { result: mergeVerified(runs), interrupted };
}

/** A rule's evidence on one seed (not run once the deadline passed), classified into its result. */
async function ruleResultOnSeed(plan: RunPlan, i: number, options: CheckProtocolOptions, seed: number): Promise<{ result: RuleResult; interrupted: boolean }> {
  const rule = plan.rules[i]!;
  const started = performance.now();
  let evidence: RuleEvidence;
  if (started >= plan.deadline) {
    evidence = { id: rule.id, level: rule.level, seed, replayed: 0, skipped: "not run: the run's time limit (--max-time) was reached" };
  } else {
    const ctx: CheckContext = {
      spec: plan.spec,
      target: plan.target,
      timeouts: plan.timeouts,
      runs: plan.runs,
      waiting: (text, ms) => options.onNote?.({ id: rule.id, text, ms }),
    };
    evidence = await checkRule(rule, plan.checks[i]!, fixturesFor(plan.fixtures, rule.id), ctx, {
      seed,
      path: options.path,
      shrinkTimeMs: options.shrinkTimeMs,
      deadline: plan.deadline,
      budgetMs: plan.ruleBudgetMs,
      onProgress: options.onProgress,
    });
  }
  const { outcome, detail } = classify(evidence);
  return {
    result: { id: rule.id, level: rule.level, outcome, detail: { statement: rule.statement, ...detail } },
    interrupted: started >= plan.deadline || (evidence.property?.interrupted === true && !evidence.property.failure),
  };
}

/**
 * Checks a server against every rule of a protocol's catalogue and returns the report. Rejects with a
 * TargetUnavailableError when the target cannot be reached or started, and a RangeError for bad options.
 */
export async function checkProtocol(options: CheckProtocolOptions): Promise<Report> {
  const plan = await planRun(options);
  const { module, target, seed, runs } = plan;
  // A target that cannot start a server fails the run at once, not rule by rule.
  if (target.fresh) await (await target.start()).stop();
  // UDP has no connection to probe, and a datagram would make the probe the original bank's first client.
  const probe = target.fresh || module.spec.transport === "udp" ? undefined : await connectProbe(target);
  const limits = target.limits && Object.keys(target.limits).length > 0 ? { ...target.limits } : undefined;
  options.onStart?.({ protocol: module.spec.protocol, target: target.label, seed, runs, limits });

  const ordered = new OrderedResults(options.onResult);
  let interrupted = false;
  try {
    await runPool(startOrder(plan.rules, plan.checks, plan.spec.limits, runs), target.concurrent ? plan.jobs : 1, async (i) => {
      const rule = await ruleResult(plan, i, options);
      interrupted ||= rule.interrupted;
      ordered.finish(i, rule.result);
    });
  } finally {
    probe?.close();
  }
  const results = ordered.told;
  const strict = options.strict ?? false;
  const failOnSkip = options.failOnSkip ?? false;
  const summarized = summarize(results, strict, failOnSkip);
  const verifying = plan.seeds.length > 1;
  const unstable = results.filter((r) => r.detail.verify?.unstable).length;
  const verified = verifying ? { unstable, slow: results.filter((r) => r.detail.verify?.slow).length } : {};
  // An interrupted run has not checked everything it was asked to, and an unstable rule's verdict cannot be
  // trusted: neither is a success.
  const summary = { ...summarized, ...verified, ok: summarized.ok && !interrupted && unstable === 0 };
  return {
    protocol: module.spec.protocol,
    target: target.label,
    seed,
    runs,
    limits,
    strict,
    ...(failOnSkip ? { failOnSkip } : {}),
    ...(interrupted ? { interrupted } : {}),
    ...(verifying ? { verify: plan.seeds.length } : {}),
    rules: results,
    summary,
  };
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

/** Why a rule cannot be checked against a target, or undefined when it can. */
export function whyTargetCannotCheck(rule: Rule, target: Target): string | undefined {
  if (rule.needs !== "any-server" && !target.fresh)
    return "not checked: needs servers of its own (it changes the server's state for good): use --spawn, or --reset CMD";
  if ((rule.needs === "restartable-server" || rule.needs === "killable-server") && !target.restartable)
    return "not checked: restarts servers on their own files, in folders it chooses: use --spawn";
  if (rule.needs === "killable-server" && !target.killable)
    return "not checked: kills servers (SIGKILL), which needs servers in processes of their own: use --spawn";
  return undefined;
}

/**
 * A property run may take this many rule budgets (each at least the longest limit a selected rule waits
 * out) before it is given up as waiting for something that never comes.
 */
const RUN_CEILING_BUDGETS = 2;

interface RuleSettings {
  seed: number;
  path?: string;
  shrinkTimeMs?: number;
  deadline: number;
  budgetMs: number;
  onProgress?: (progress: Progress) => void;
}

/** Skips a rule the target cannot check, replays its fixtures, then runs its property: the evidence its outcome follows from. */
async function checkRule(rule: Rule, ruleCheck: RuleCheck, fixtures: Fixture[], ctx: CheckContext, settings: RuleSettings): Promise<RuleEvidence> {
  const base = { id: rule.id, level: rule.level, seed: settings.seed, replayed: 0 };
  const skipped = whyTargetCannotCheck(rule, ctx.target);
  if (skipped !== undefined) return { ...base, skipped };
  const replaying = settings.path !== undefined;
  let replayed = { replayed: 0, retries: 0 } as Awaited<ReturnType<typeof replayFixtures>>;
  try {
    if (ctx.target.fresh && !replaying) replayed = await replayFixtures(rule.id, fixtures, ctx);
    if (replayed.failed) return { ...base, replayed: replayed.replayed, fixture: replayed.failed };
    const numRuns = ruleCheck.runs(ctx.runs);
    const attempts = rule.timing ? TIMING_REPLAY_ATTEMPTS : 1;
    const property = await runProperty(
      (state) => {
        if (replayed.retries > 0) count(state, "UDP retries", replayed.retries);
        return ruleCheck.property(ctx, state);
      },
      {
        seed: ruleSeed(settings.seed, rule.id),
        numRuns,
        ...(replaying ? { path: settings.path, attempts } : {}),
        deadline: settings.deadline,
        // A rule that waits out a limit makes few runs, each as long as the limit: the budget is for the others.
        budgetMs: ruleCheck.waitsMs ? Infinity : settings.budgetMs,
        runCeilingMs: settings.budgetMs * RUN_CEILING_BUDGETS,
        // A rule that waits out a limit would wait it out again at every shrinking step.
        shrinkTimeMs: ruleCheck.waitsMs ? 0 : (settings.shrinkTimeMs ?? DEFAULT_SHRINK_TIME_MS),
        onRun: (run, shrinking) => settings.onProgress?.({ id: rule.id, run, of: numRuns, shrinking }),
      },
    );
    return {
      ...base,
      replayed: replayed.replayed,
      property,
      ...(replaying ? { replay: { path: settings.path!, attempts: property.runs, timing: rule.timing === true } } : {}),
    };
  } catch (error) {
    // Whatever went wrong outside a property run (a server that would not start for a fixture), the report says so.
    return { ...base, replayed: replayed.replayed, error };
  }
}

/** Replays a rule's fixtures, each against a fresh server, up to the first that differs where the rule is decided. */
async function replayFixtures(
  ruleId: string,
  fixtures: Fixture[],
  ctx: CheckContext,
): Promise<{ replayed: number; retries: number; failed?: { file: string; error: unknown } }> {
  let [replayed, retries] = [0, 0];
  for (const fixture of fixtures) {
    const server = await ctx.target.start();
    try {
      const transport = ctx.spec.transport === "udp" ? "udp" : "tcp";
      retries += (await blamingCrash(server, () => replay(fixture.transcript, server, transport, ctx.timeouts, ruleId))).udpRetries;
      replayed += 1;
    } catch (error) {
      // A replay that went as recorded while the server's process ended shows nothing, nor one that differed
      // where the rule is not decided: neither is counted.
      if (error instanceof ServerEndedError || error instanceof NotDecidingDifference) continue;
      if (!(error instanceof Violation)) throw error;
      return { replayed, retries, failed: { file: fixture.file, error } };
    } finally {
      await server.stop();
    }
  }
  return { replayed, retries };
}
