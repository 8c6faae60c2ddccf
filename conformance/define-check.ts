import fc from "fast-check";
import type { ProtocolSpec } from "../spec/protocol.js";
import { type CheckContext, type Closable, runConversation, type RuleCheck, type RuleState, withFreshServer } from "./check.js";
import { inWorkFolder, type ServerHandle, type StartOptions } from "./target.js";

/**
 * How a check's property runs get the servers they talk to; the run budget follows from it.
 * - `shared`: one server for all of the check's runs, started at the first and stopped when the check
 *   ends, each run in a new conversation with it: for rules that no state of the server can affect.
 * - `fresh`: a server of its own for each run (the one server of a bare host/port target), so that a rule's
 *   runs never depend on what another rule's defect did to a server.
 * - `folder`: a folder of its own for each run, in which the run starts servers one after another, each on
 *   what the one before left: for rules about files, restarts and kills.
 * - `per-check`: the check makes, once, what gets it servers as it needs them (a channel that moves to a
 *   fresh server when the quota runs out, say), and closes it when the check ends.
 */
export type ServerUse = "shared" | "fresh" | "folder" | "per-check";

/**
 * A check's share of the run's `--runs`: every run (a message each), a tenth (a server each, at least 3), a
 * twentieth (several servers each, at least 2), or one (an input space of one case).
 */
export type RunShare = "every" | "tenth" | "twentieth" | "one";

/** The share a check's servers imply: runs that start a server take a tenth. */
const defaultShare: Record<ServerUse, RunShare> = { shared: "every", "per-check": "every", fresh: "tenth", folder: "tenth" };

/** The property runs a share of the budget comes to. */
export function runsOf(share: RunShare, budget: number): number {
  switch (share) {
    case "every":
      return budget;
    case "tenth":
      return Math.max(3, Math.ceil(budget / 10));
    case "twentieth":
      return Math.max(2, Math.ceil(budget / 20));
    case "one":
      return 1;
  }
}

/** A folder of one property run's own, in which it starts servers one after another, keeping their files. */
export interface ServerFolder<S> {
  path: string;
  /** Starts a server in the folder, talks to it in a new conversation, and stops it, whatever happened. */
  converse<R>(talk: (session: S, server: ServerHandle) => Promise<R>): Promise<R>;
  /**
   * Starts a server in the folder and leaves it to the run, which may kill it (`process: true`) and start
   * another; stopped when the run ends, whatever happened.
   */
  start(options?: Omit<StartOptions, "workdir">): Promise<ServerHandle>;
  /** Whether a server starts in the folder at all; one that does is stopped at once. */
  starts(): Promise<boolean>;
}

/** What every definition has: the rule, its inputs, and optionally its share of the budget and its wait. */
export interface DefinitionBase<Id extends string, T> {
  /** The rule's ID in the catalogue, where its statement and level are. */
  id: Id;
  /** Each run's input, drawn by fast-check and shrunk on a failure; a function when it depends on the spec's limits. */
  inputs: fc.Arbitrary<T> | ((spec: ProtocolSpec) => fc.Arbitrary<T>);
  /** The share of `--runs` when not the one the servers imply: `every` for a race that shows only some of the time. */
  runs?: RunShare;
  /** How long one run waits out a limit, at least, given the server's limits: such rules start first. */
  waitsMs?(limits: Readonly<Record<string, number>>): number;
}

/** A run's conversation with its server, given the input. */
export type SessionRun<S, T> = (session: S, input: T, server: ServerHandle, ctx: CheckContext, ruleState: RuleState) => Promise<void>;

/**
 * One rule's check, in the manner of h2spec's test cases: the rule, how its runs get servers, their
 * inputs, and what each run does. A run fails by throwing a Violation (`session.fail(expected, observed)`).
 */
export type CheckDefinition<Id extends string, S, T, C = never> = DefinitionBase<Id, T> &
  (
    | { servers: "shared" | "fresh"; run: SessionRun<S, T> }
    | { servers: "folder"; run(folder: ServerFolder<S>, input: T, ctx: CheckContext, ruleState: RuleState): Promise<void> }
    | {
        servers: "per-check";
        /** Made when the check's first run starts; its close is called when the check ends. */
        open(ctx: CheckContext, ruleState: RuleState): C & { close(): Promise<void> };
        run(made: C, input: T, ctx: CheckContext, ruleState: RuleState): Promise<void>;
      }
  );

/** How a protocol opens a conversation with a server, for a property run. */
export type OpenSession<S extends Closable> = (server: ServerHandle, ctx: CheckContext, ruleState: RuleState) => S;

/**
 * The check definer of a protocol whose conversations `open` makes: `check({ id, servers, inputs, run })`
 * gives the rule's check. Each protocol's checks read as a list of such values, one per rule.
 */
export function defineChecks<Id extends string, S extends Closable>(open: OpenSession<S>) {
  return function check<T, C = never>(definition: CheckDefinition<Id, S, T, C>): RuleCheck<Id> {
    const share = definition.runs ?? defaultShare[definition.servers];
    return {
      id: definition.id,
      runs: (budget) => runsOf(share, budget),
      ...(definition.waitsMs ? { waitsMs: definition.waitsMs } : {}),
      property: (ctx, ruleState) => {
        const inputs = typeof definition.inputs === "function" ? definition.inputs(ctx.spec) : definition.inputs;
        const talk = (server: ServerHandle, run: (session: S) => Promise<void>) => runConversation(open(server, ctx, ruleState), run, server);
        switch (definition.servers) {
          case "fresh":
            return fc.asyncProperty(inputs, (input) =>
              withFreshServer(ctx.target, (server) => talk(server, (session) => definition.run(session, input, server, ctx, ruleState))),
            );
          case "shared": {
            let started: Promise<ServerHandle> | undefined;
            const server = () =>
              (started ??= ctx.target.start().then((handle) => {
                ruleState.cleanups.push(() => handle.stop());
                return handle;
              }));
            return fc.asyncProperty(inputs, async (input) => {
              const handle = await server();
              await talk(handle, (session) => definition.run(session, input, handle, ctx, ruleState));
            });
          }
          case "folder":
            return fc.asyncProperty(inputs, (input) =>
              inWorkFolder(async (workdir) => {
                const left: ServerHandle[] = [];
                const folder: ServerFolder<S> = {
                  path: workdir,
                  converse: (run) =>
                    withFreshServer(ctx.target, (server) => runConversation(open(server, ctx, ruleState), (s) => run(s, server), server), { workdir }),
                  start: async (options) => {
                    const server = await ctx.target.start({ ...options, workdir });
                    left.push(server);
                    return server;
                  },
                  starts: async () => {
                    const server = await ctx.target.start({ workdir }).catch(() => undefined);
                    await server?.stop();
                    return server !== undefined;
                  },
                };
                try {
                  await definition.run(folder, input, ctx, ruleState);
                } finally {
                  await Promise.all(left.map((server) => server.stop()));
                }
              }),
            );
          case "per-check": {
            let made: (C & { close(): Promise<void> }) | undefined;
            const once = () => {
              if (made) return made;
              made = definition.open(ctx, ruleState);
              ruleState.cleanups.push(() => made!.close());
              return made;
            };
            return fc.asyncProperty(inputs, (input) => definition.run(once(), input, ctx, ruleState));
          }
        }
      },
    };
  };
}
