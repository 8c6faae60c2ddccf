import { once } from "node:events";
import { existsSync } from "node:fs";
import { readFile } from "node:fs/promises";
import path from "node:path";
import t, { type Test } from "tap";
import { DEFAULT_TIMEOUTS } from "../conformance/runner.js";
import { replay } from "../conformance/replay.js";
import { spawnTarget } from "../conformance/spawn.js";
import { appliedReply, balanceReply, bank } from "../protocols/bank/spec/index.js";
import { createCapitalizerServer } from "../protocols/capitalizer/reference/server.js";
import { capitalizer, expectedReply, isWholeAnswer } from "../protocols/capitalizer/spec/index.js";
import { assertValid } from "../spec/validator.js";
import { startRecordProxy } from "../transport/record-proxy.js";
import { TcpConnection } from "../transport/tcp-connection.js";
import { closeServer, listen } from "../transport/tcp-server.js";
import { withoutTimings, type Transcript } from "../transport/transcript.js";
import { cliPath, legacyDir, legacySkipReason, python, runProgram, startCli, referenceOf } from "./helpers.js";

/** Starts `sockspec record` in front of a server; resolves with its port and a stop that returns the file. */
async function recordProxy(t: Test, protocol: string, target: { host: string; port: number }) {
  const out = path.join(t.testdir(), `${protocol}-session.json`);
  const child = startCli(["record", protocol, "--host", target.host, "--port", String(target.port), "--out", out]);
  const [line] = (await once(child.stdout, "data")) as [Buffer];
  const match = /^PROXY READY @ 127\.0\.0\.1:(\d+)\n/.exec(line.toString());
  t.ok(match, line.toString());
  return {
    port: Number(match![1]),
    async stop(): Promise<Transcript> {
      child.kill("SIGTERM");
      const [code] = await once(child, "exit");
      t.equal(code, 0, "the proxy stops cleanly and writes the file");
      const written = JSON.parse(await readFile(out, "utf8")) as Transcript & { $schema: string };
      t.ok(existsSync(path.resolve(path.dirname(out), written.$schema)), `its $schema (${written.$schema}) leads to the transcript schema`);
      return written;
    },
  };
}

const lines = (...typed: string[]) => typed.map((l) => `${l}\n`).join("");
const skip = legacySkipReason();

t.test("record: the original Python client and server through the proxy; the transcript replays against the reference", { skip }, async (t) => {
  const server = await spawnTarget(`${python()} ${path.join(legacyDir, "tcpserver.py")}`, { host: "127.0.0.1" }).start();
  t.teardown(() => server.stop());
  const proxy = await recordProxy(t, "capitalizer", server);
  // The original client ends with a traceback when its input runs out; what it sent and got is the session.
  await runProgram(python(), [path.join(legacyDir, "tcpclient.py")], { input: lines("hello", "Straße"), env: { HOST: "127.0.0.1", PORT: String(proxy.port) } });
  const transcript = await proxy.stop();
  assertValid("transcript.schema.json", transcript, "the recorded session");
  t.same(
    transcript.events.map((e) => [e.conn, e.type, e.text]),
    [
      ["c1", "connect", undefined],
      ["c1", "send", "hello"],
      ["c1", "recv", expectedReply("hello")],
      ["c1", "send", "Straße"],
      ["c1", "recv", expectedReply("Straße")],
      ["c1", "close", undefined],
    ],
  );
  const reference = await referenceOf("capitalizer").start();
  t.teardown(() => reference.stop());
  await t.resolves(replay(transcript, reference, "tcp", DEFAULT_TIMEOUTS), "the reference answers the recorded session the same");
});

t.test("record over UDP: the original bank client and server; the session replays against the reference bank", { skip }, async (t) => {
  const server = await spawnTarget(`${python()} ${path.join(legacyDir, "udpserver.py")}`, { host: "127.0.0.1", transport: "udp" }).start();
  t.teardown(() => server.stop());
  const proxy = await recordProxy(t, "bank", server);
  const { username, pin } = bank.defaults;
  await runProgram(python(), [path.join(legacyDir, "udpclient.py")], {
    input: lines("3", "50", username, pin, "1"),
    env: { HOST: "127.0.0.1", PORT: String(proxy.port) },
  });
  const transcript = await proxy.stop();
  assertValid("transcript.schema.json", transcript, "the recorded session");
  t.same(
    transcript.events.filter((e) => e.type === "recv").map((e) => e.text),
    [bank.wireTexts.challenge, appliedReply("deposit", "50", 50n), balanceReply(50n)],
  );
  t.ok(
    transcript.events.every((e) => e.conn === "s1"),
    "one client address, one label",
  );
  const reference = await referenceOf("bank").start();
  t.teardown(() => reference.stop());
  await t.resolves(replay(transcript, reference, "udp", DEFAULT_TIMEOUTS));
});

t.test("record with bad arguments: one line, exit 2", async (t) => {
  for (const [args, message] of [
    [["record", "bank", "--out", "x.json"], /needs --port PORT/],
    [["record", "bank", "--port", "1"], /needs --out FILE/],
    [["record", "bank", "--port", "1", "--out", "x.json", "--rules", "BANK-NOPE"], /unknown rule ID/],
    [["record", "bank", "--target", "127.0.0.1:1"], /unknown option --target: it is now --host HOST --port PORT/],
  ] as const) {
    const result = await runProgram(process.execPath, [cliPath, ...args]);
    t.equal(result.code, 2);
    t.match(result.stderr, message);
  }
});

t.test("the record proxy keeps each connection's connect in the clients' order and ends a server-closed connection at closed", async (t) => {
  const server = createCapitalizerServer({ limit: 1 });
  const serverPort = await listen(server, "127.0.0.1", 0);
  t.teardown(() => closeServer(server));
  const proxy = await startRecordProxy({
    protocol: "capitalizer",
    transport: "tcp",
    listen: { host: "127.0.0.1", port: 0 },
    target: { host: "127.0.0.1", port: serverPort },
  });
  t.teardown(() => proxy.close());
  const c1 = await TcpConnection.open("127.0.0.1", proxy.port, "c1");
  await proxy.settled("c1");
  const c2 = await TcpConnection.open("127.0.0.1", proxy.port, "c2");
  await proxy.settled("c2");
  c1.send("a");
  await c1.read({ complete: (bytes) => isWholeAnswer(bytes), timeoutMs: 2000, settleMs: 0 });
  c2.send("b");
  await c2.waitClosed(2000);
  c1.close();
  await proxy.idle();
  t.same(
    withoutTimings(proxy.transcript().events).map((e) => [e.conn, e.type, e.text]),
    [
      ["c1", "connect", undefined],
      ["c2", "connect", undefined],
      ["c1", "send", "a"],
      ["c1", "recv", expectedReply("a")],
      ["c2", "send", "b"],
      ["c2", "recv", capitalizer.wireTexts.limitNotice],
      ["c2", "closed", undefined],
      ["c1", "close", undefined],
    ],
  );
});
