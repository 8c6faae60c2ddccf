// defineChecks: how each kind of `servers` gets a check's runs their servers, the budget that follows, and
// what is stopped and closed whatever a run did. Real servers on loopback, counted as they start and stop.
import { existsSync } from "node:fs";
import { writeFile } from "node:fs/promises";
import net from "node:net";
import path from "node:path";
import fc from "fast-check";
import t from "tap";
import { Violation, type CheckContext, type RuleState } from "../../../conformance/check.js";
import { defineChecks, runsOf, type CheckDefinition } from "../../../conformance/define-check.js";
import { inProcessTarget, tcpServer, type ServerHandle, type Target } from "../../../conformance/target.js";
import { DEFAULT_TIMEOUTS } from "../../../conformance/runner.js";
import type { ProtocolSpec } from "../../../spec/protocol.js";

/** A target of in-process TCP servers that close every connection, with the servers it started and stopped. */
function countingTarget() {
  const started: ServerHandle[] = [];
  let stopped = 0;
  const inner = inProcessTarget(
    "counted",
    tcpServer(() => net.createServer((socket) => socket.end())),
  );
  const target: Target = {
    ...inner,
    start: async (options) => {
      const server = await inner.start(options);
      started.push(server);
      return {
        ...server,
        stop: async () => {
          stopped += 1;
          await server.stop();
        },
      };
    },
  };
  return { target, started, stopped: () => stopped };
}

/** A conversation that counts how it ends. */
class Session {
  static opened = 0;
  static closed = 0;
  static lastLooks = 0;
  constructor(readonly server: ServerHandle) {
    Session.opened += 1;
  }
  closeAll(): void {
    Session.closed += 1;
  }
  async lastLook(): Promise<void> {
    Session.lastLooks += 1;
  }
}

const spec = { protocol: "counted", limits: {} } as unknown as ProtocolSpec;
const newState = (): RuleState => ({ vacuousRuns: 0, counts: new Map(), cleanups: [] });
const check = defineChecks<"RULE-X", Session>((server) => new Session(server));

/** Runs a definition's property as the runner would (fixed seed), then its cleanups; returns whether it held. */
async function runDefinition<T, C>(definition: CheckDefinition<"RULE-X", Session, T, C>, target: Target, budget = 20) {
  Session.opened = Session.closed = Session.lastLooks = 0;
  const rule = check(definition);
  const ctx: CheckContext = { spec, target, timeouts: DEFAULT_TIMEOUTS, runs: budget };
  const state = newState();
  const runs = rule.runs(budget);
  const result = await fc.check(rule.property(ctx, state), { numRuns: runs, seed: 7, endOnFailure: true });
  for (const cleanup of state.cleanups) await cleanup();
  return { runs, failed: result.failed, error: result.errorInstance };
}

t.test("the budget follows from the servers: every run when they share one, a tenth when each starts one", async (t) => {
  t.same(
    (["every", "tenth", "twentieth", "one"] as const).map((share) => runsOf(share, 100)),
    [100, 10, 5, 1],
  );
  t.same([runsOf("tenth", 4), runsOf("twentieth", 4)], [3, 2], "never fewer than a few runs");
  const inputs = fc.nat();
  const run = async () => {};
  t.equal(check({ id: "RULE-X", servers: "shared", inputs, run }).runs(100), 100);
  t.equal(check({ id: "RULE-X", servers: "fresh", inputs, run }).runs(100), 10);
  t.equal(check({ id: "RULE-X", servers: "fresh", runs: "every", inputs, run }).runs(100), 100, "a race: every run counts");
  t.equal(check({ id: "RULE-X", servers: "folder", inputs, run: async () => {} }).runs(100), 10);
});

t.test("fresh: a server per run, stopped after it, each run in a conversation closed after its last look", async (t) => {
  const { target, started, stopped } = countingTarget();
  const ports = new Set<number>();
  const result = await runDefinition(
    { id: "RULE-X", servers: "fresh", inputs: fc.nat(), run: async (_session, _n, server) => void ports.add(server.port) },
    target,
  );
  t.notOk(result.failed);
  t.equal(started.length, result.runs);
  t.equal(stopped(), result.runs);
  t.equal(ports.size, result.runs, "a different server each run");
  t.same([Session.opened, Session.lastLooks, Session.closed], [result.runs, result.runs, result.runs]);
});

t.test("shared: one server for all runs, stopped when the check ends", async (t) => {
  const { target, started, stopped } = countingTarget();
  const result = await runDefinition({ id: "RULE-X", servers: "shared", inputs: fc.nat(), run: async () => {} }, target);
  t.equal(result.runs, 20);
  t.equal(started.length, 1);
  t.equal(stopped(), 1);
  t.equal(Session.closed, 20, "but a conversation per run");
});

t.test("a run that throws a Violation fails the property; its server is stopped and its conversation closed all the same", async (t) => {
  const { target, started, stopped } = countingTarget();
  const result = await runDefinition(
    {
      id: "RULE-X",
      servers: "fresh",
      inputs: fc.nat(),
      run: async (_session, n) => {
        if (n > 3) throw new Violation("at most 3", String(n));
      },
    },
    target,
  );
  t.ok(result.failed);
  t.type(result.error, Violation);
  t.equal(stopped(), started.length);
  t.equal(Session.closed, Session.opened);
  t.ok(Session.lastLooks < Session.opened, "no last look after a failure");
});

t.test("folder: servers started one after another in the run's folder, each stopped, the folder removed", async (t) => {
  const { target, started, stopped } = countingTarget();
  const folders: string[] = [];
  const result = await runDefinition(
    {
      id: "RULE-X",
      servers: "folder",
      inputs: fc.nat(),
      run: async (folder, n) => {
        folders.push(folder.path);
        await writeFile(path.join(folder.path, "kept"), String(n));
        const workdirs = [await folder.converse(async (_s, server) => server.workdir), await folder.converse(async (_s, server) => server.workdir)];
        if (workdirs.some((dir) => dir !== folder.path)) throw new Violation("servers in the run's folder", workdirs.join(", "));
        await folder.start(); // left running: the folder stops it
        if (!(await folder.starts())) throw new Violation("a server to start", "none did");
      },
    },
    target,
  );
  t.notOk(result.failed, String(result.error));
  t.equal(started.length, 4 * result.runs, "two conversations, one left running and one tried, per run");
  t.equal(stopped(), started.length, "every one stopped");
  t.equal(new Set(folders).size, result.runs, "a folder per run");
  t.notOk(
    folders.some((folder) => existsSync(folder)),
    "each removed when its run ended",
  );
});

t.test("per-check: what the check opens is made once, for all runs, and closed when the check ends", async (t) => {
  const { target } = countingTarget();
  let opened = 0;
  let closed = 0;
  const seen: number[] = [];
  const result = await runDefinition(
    {
      id: "RULE-X",
      servers: "per-check",
      inputs: fc.nat(),
      open: () => {
        opened += 1;
        return { seen, close: async () => void (closed += 1) };
      },
      run: async (made, n) => void made.seen.push(n),
    },
    target,
  );
  t.equal(result.runs, 20);
  t.same([opened, closed, seen.length], [1, 1, 20]);
});

t.test("inputs may depend on the spec's limits", async (t) => {
  const { target } = countingTarget();
  const drawn: number[] = [];
  const limited = { ...spec, limits: { most: 3 } } as unknown as ProtocolSpec;
  const rule = check({ id: "RULE-X", servers: "shared", inputs: (s) => fc.nat(s.limits.most!), run: async (_s, n) => void drawn.push(n) });
  const state = newState();
  await fc.assert(rule.property({ spec: limited, target, timeouts: DEFAULT_TIMEOUTS, runs: 30 }, state), { numRuns: 30, seed: 1 });
  for (const cleanup of state.cleanups) await cleanup();
  t.ok(
    drawn.every((n) => n <= 3),
    "drawn within the limit",
  );
  t.ok(drawn.includes(3), "up to it");
});
