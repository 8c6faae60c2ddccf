import type { ProtocolModule } from "../../protocols/protocol-module.js";
import type { ProtocolSpec } from "../../spec/protocol.js";
import { ruleSeed } from "../case-id.js";
import { classify, type RuleEvidence } from "../outcome.js";
import { OrderedResults } from "../ordered-results.js";
import { runPool } from "../pool.js";
import { runProperty } from "../property-run.js";
import { selectFrom, summarize, type Report, type RuleResult } from "../report.js";
import { DEFAULT_RUNS, DEFAULT_SEED, DEFAULT_TIMEOUTS, type Progress } from "../runner.js";
import type { Timeouts } from "../timeouts.js";
import { loadDriver, type ClientDriver } from "./driver.js";
import type { ClientCheckContext } from "./session.js";

/** The most a failing client rule's counterexample is shrunk for: each shrinking step starts a client. */
export const CLIENT_SHRINK_TIME_MS = 5000;
/** The most one client rule's property runs may take; past it the rule is judged on the runs made. */
export const CLIENT_RULE_BUDGET_MS = 30_000;
/** Client rules checked side by side: each run is a client process and a socket or two. */
export const CLIENT_JOBS = 4;

export interface CheckClientOptions {
  /** The protocol, with its client rules and their checks. */
  protocol: ProtocolModule;
  /** The command that starts the client under test; HOST and PORT are in its environment, `{host}` and `{port}` substituted. */
  spawn: string;
  /** The folder relative paths in the command are resolved against (the current one by default). */
  cwd?: string;
  /** A driver file of your own (the protocol's default driver, the original client's interface, otherwise). */
  driver?: string;
  seed?: number;
  runs?: number;
  only?: readonly string[];
  exclude?: readonly string[];
  strict?: boolean;
  timeouts?: Partial<Timeouts>;
  shrinkTimeMs?: number;
  jobs?: number;
  /** The most the whole run may take: rules under way are judged on the runs made, rules not started are not run. */
  maxTimeMs?: number;
  onStart?: (header: Pick<Report, "protocol" | "target" | "seed" | "runs">) => void;
  onResult?: (result: RuleResult) => void;
  onProgress?: (progress: Progress) => void;
}

/** The client rules as a catalogue of rules, so that rubrics and the platform reporters grade them as they grade server rules. */
export const clientCatalogue = (spec: ProtocolSpec): ProtocolSpec => ({
  ...spec,
  rules: (spec.clientRules ?? []).map((rule) => ({ ...rule, needs: "any-server" })),
});

/** The protocol's default driver, or the one the file gives, checked against what its client checks use. */
export function clientDriver(module: ProtocolModule, file?: string): ClientDriver {
  const client = module.clientChecks;
  if (!client) throw new RangeError(`${module.spec.protocol} has no client rules to check`);
  return loadDriver(file ?? client.driver, module.spec.protocol, client.actions);
}

/**
 * Checks a client against every client rule of a protocol's catalogue, with the kit playing the server,
 * and returns the same report as a server check. A RangeError for bad options.
 */
export async function checkClient(options: CheckClientOptions): Promise<Report> {
  const module = options.protocol;
  const rules = selectFrom(module.spec.clientRules ?? [], module.spec.protocol, options.only, options.exclude);
  const driver = clientDriver(module, options.driver);
  const all = await module.clientChecks!.checks();
  const missing = rules.find((rule) => !all.some((c) => c.id === rule.id));
  if (missing) throw new RangeError(`${module.spec.protocol}: client rule ${missing.id} has no check`);
  const seed = options.seed ?? DEFAULT_SEED;
  const runs = options.runs ?? DEFAULT_RUNS;
  const target = `spawn client: ${options.spawn}`;
  const ctx: ClientCheckContext = {
    spec: module.spec,
    command: options.spawn,
    cwd: options.cwd ?? process.cwd(),
    driver,
    timeouts: { ...DEFAULT_TIMEOUTS, ...options.timeouts },
    runs,
  };
  options.onStart?.({ protocol: module.spec.protocol, target, seed, runs });
  const deadline = options.maxTimeMs === undefined ? Infinity : performance.now() + options.maxTimeMs;
  let interrupted = false;
  const ordered = new OrderedResults(options.onResult);
  await runPool(
    rules.map((_, i) => i),
    options.jobs ?? CLIENT_JOBS,
    async (i) => {
      const rule = rules[i]!;
      const check = all.find((c) => c.id === rule.id)!;
      const started = performance.now();
      const base = { id: rule.id, level: rule.level, seed, replayed: 0 };
      let evidence: RuleEvidence;
      if (started >= deadline) {
        interrupted = true;
        evidence = { ...base, skipped: "not run: the run's time limit (--max-time) was reached" };
      } else
        try {
          const numRuns = check.runs(runs);
          const property = await runProperty((state) => check.property(ctx, state), {
            seed: ruleSeed(seed, rule.id),
            numRuns,
            deadline,
            budgetMs: CLIENT_RULE_BUDGET_MS,
            runCeilingMs: 2 * CLIENT_RULE_BUDGET_MS,
            shrinkTimeMs: options.shrinkTimeMs ?? CLIENT_SHRINK_TIME_MS,
            onRun: (run, shrinking) => options.onProgress?.({ id: rule.id, run, of: numRuns, shrinking }),
          });
          interrupted ||= property.interrupted === true && !property.failure;
          evidence = { ...base, property };
        } catch (error) {
          evidence = { ...base, error };
        }
      const { outcome, detail } = classify(evidence);
      ordered.finish(i, {
        id: rule.id,
        level: rule.level,
        outcome,
        detail: { statement: rule.statement, ...detail, ms: Math.round(performance.now() - started) },
      });
    },
  );
  const results = ordered.told;
  const strict = options.strict ?? false;
  const summarized = summarize(results, strict);
  // A run cut by its time limit has not checked everything it was asked to.
  return {
    protocol: module.spec.protocol,
    target,
    seed,
    runs,
    strict,
    rules: results,
    summary: { ...summarized, ok: summarized.ok && !interrupted },
    ...(interrupted ? { interrupted } : {}),
  };
}
