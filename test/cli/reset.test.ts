import http from "node:http";
import type net from "node:net";
import path from "node:path";
import t, { type Test } from "tap";
import type { Report } from "../../conformance/report.js";
import { createBankServer } from "../../protocols/bank/reference/server.js";
import { createCapitalizerServer } from "../../protocols/capitalizer/reference/server.js";
import { closeServer, listen } from "../../transport/tcp-server.js";
import { bind, closeSocket } from "../../transport/udp-server.js";
import { runCli } from "../support/helpers.js";

/**
 * A capitalizer that the test keeps running on one port, with a provider-state endpoint, as a deployment
 * that cannot be spawned might have: GET /reset replaces it with a fresh one on the same port.
 */
async function resettableCapitalizer(t: Test): Promise<{ port: number; resetCommand: string; resets: () => number }> {
  let server = createCapitalizerServer();
  const sockets = new Set<net.Socket>();
  const track = (s: net.Server) => s.on("connection", (socket: net.Socket) => sockets.add(socket).size);
  track(server);
  const port = await listen(server, "127.0.0.1", 0);
  let resets = 0;
  const control = http.createServer(async (_request, response) => {
    for (const socket of sockets) socket.destroy();
    sockets.clear();
    await closeServer(server);
    server = createCapitalizerServer();
    track(server);
    await listen(server, "127.0.0.1", port);
    resets += 1;
    response.end("reset\n");
  });
  const controlPort = await listen(control, "127.0.0.1", 0);
  t.teardown(async () => {
    await closeServer(control);
    for (const socket of sockets) socket.destroy();
    await closeServer(server);
  });
  const resetCommand = `node -e "fetch('http://127.0.0.1:${controlPort}/reset').then((r) => process.exit(r.ok ? 0 : 1), () => process.exit(1))"`;
  return { port, resetCommand, resets: () => resets };
}

const only = ["--only", "CAP-REPLY-UPPER,CAP-QUOTA-LIMIT,CAP-QUOTA-SHARED", "--runs", "5", "--reporter", "json"];

t.test("--reset runs the command before each run that needs a fresh server, so those rules run against a running server", async (t) => {
  const server = await resettableCapitalizer(t);
  const without = JSON.parse((await runCli(["check", "capitalizer", "--port", String(server.port), ...only])).stdout) as Report;
  t.same(
    without.rules.map((r) => r.outcome),
    ["pass", "skip", "skip"],
    "without it the quota rules skip",
  );
  const result = await runCli(["check", "capitalizer", "--port", String(server.port), "--reset", server.resetCommand, ...only]);
  t.equal(result.code, 0, result.stderr);
  const report = JSON.parse(result.stdout) as Report;
  t.same(
    report.rules.map((r) => `${r.id}: ${r.outcome}`),
    ["CAP-REPLY-UPPER: pass", "CAP-QUOTA-LIMIT: pass", "CAP-QUOTA-SHARED: pass"],
  );
  t.match(report.target, /, reset by: node -e/);
  // A quota rule's runs each use up the quota: they passed only because every one got a fresh server.
  t.ok(server.resets() >= 10, `the server was reset before each run (${server.resets()} resets)`);
});

t.test("--reset: rules that restart servers on their files still need --spawn, and say so", async (t) => {
  const socket = await createBankServer({ dataFile: path.join(t.testdir(), "user.txt") });
  const port = await bind(socket, "127.0.0.1", 0);
  t.teardown(() => closeSocket(socket));
  const result = await runCli([
    "check",
    "bank",
    "--port",
    String(port),
    "--reset",
    "true",
    "--only",
    "BANK-BALANCE,BANK-PERSIST-RESTART,BANK-CRASH-DURABLE",
    "--reporter",
    "json",
  ]);
  t.equal(result.code, 0, result.stderr);
  const report = JSON.parse(result.stdout) as Report;
  t.same(
    report.rules.map((r) => [r.id, r.outcome]),
    [
      ["BANK-BALANCE", "pass"],
      ["BANK-PERSIST-RESTART", "skip"],
      ["BANK-CRASH-DURABLE", "skip"],
    ],
  );
  t.match(report.rules[1]!.detail.message, /restarts servers on their own files, in folders it chooses: use --spawn/);
});

t.test("--reset: a command that fails stops the run with one line and exit 2", async (t) => {
  const server = await resettableCapitalizer(t);
  const result = await runCli([
    "check",
    "capitalizer",
    "--port",
    String(server.port),
    "--reset",
    "echo cannot reach the admin API >&2; exit 3",
    "--only",
    "CAP-QUOTA-LIMIT",
  ]);
  t.equal(result.code, 2);
  t.equal(result.stderr, "sockspec: --reset command failed (exit 3): cannot reach the admin API\n");
});

t.test("--reset without --port: one line, exit 2", async (t) => {
  const result = await runCli(["check", "capitalizer", "--reset", "true"]);
  t.equal(result.code, 2);
  t.match(result.stderr, /--reset needs --port \(or --url\)/);
});
