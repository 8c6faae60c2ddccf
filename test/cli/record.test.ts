import dgram from "node:dgram";
import { once } from "node:events";
import { existsSync } from "node:fs";
import { readFile, stat } from "node:fs/promises";
import net from "node:net";
import path from "node:path";
import t, { type Test } from "tap";
import { DEFAULT_TIMEOUTS } from "../../conformance/runner.js";
import { replay } from "../../conformance/replay.js";
import { spawnTarget } from "../../conformance/spawn.js";
import { appliedReply, balanceReply, bank } from "../../protocols/bank/spec/index.js";
import { createCapitalizerServer } from "../../protocols/capitalizer/reference/server.js";
import { capitalizer, expectedReply, isWholeAnswer } from "../../protocols/capitalizer/spec/index.js";
import { assertValid } from "../../spec/validator.js";
import { RECORDING_LIMITS, startRecordProxy } from "../../transport/record-proxy.js";
import { TcpConnection } from "../../transport/tcp-connection.js";
import { closeServer, listen } from "../../transport/tcp-server.js";
import { withoutTimings, type Transcript } from "../../transport/transcript.js";
import { bind, closeSocket } from "../../transport/udp-server.js";
import { cliPath, originalsDir, originalsSkipReason, python, runProgram, startCli, referenceOf } from "../support/helpers.js";

/** Starts `sockspec record` in front of a server; resolves with its port, and ways to end it that return the file. */
async function recordProxy(t: Test, protocol: string, target: { host: string; port: number }) {
  const out = path.join(t.testdir(), `${protocol}-session.json`);
  const child = startCli(["record", protocol, "--host", target.host, "--port", String(target.port), "--out", out]);
  let stderr = "";
  child.stderr.on("data", (chunk: Buffer) => (stderr += chunk.toString()));
  const [line] = (await once(child.stdout, "data")) as [Buffer];
  const match = /^PROXY READY @ 127\.0\.0\.1:(\d+)\n/.exec(line.toString());
  t.ok(match, line.toString());
  const written = async (): Promise<Transcript> => {
    const transcript = JSON.parse(await readFile(out, "utf8")) as Transcript & { $schema: string };
    t.ok(existsSync(path.resolve(path.dirname(out), transcript.$schema)), `its $schema (${transcript.$schema}) leads to the transcript schema`);
    return transcript;
  };
  return {
    port: Number(match![1]),
    out,
    async stop(): Promise<Transcript> {
      child.kill("SIGTERM");
      const [code] = await once(child, "exit");
      t.equal(code, 0, "the proxy stops cleanly and writes the file");
      return written();
    },
    /** Waits for the proxy to end of itself (within a wide margin), and returns its exit code, stderr and file. */
    async ended(): Promise<{ code: number; stderr: string; transcript: Transcript }> {
      const [code] = (await once(child, "exit", { signal: AbortSignal.timeout(30_000) })) as [number];
      return { code, stderr, transcript: await written() };
    },
  };
}

const lines = (...typed: string[]) => typed.map((l) => `${l}\n`).join("");
const skip = originalsSkipReason();

t.test("record: the original Python client and server through the proxy; the transcript replays against the reference", { skip }, async (t) => {
  const server = await spawnTarget(`${python()} ${path.join(originalsDir, "tcpserver.py")}`, { host: "127.0.0.1" }).start();
  t.teardown(() => server.stop());
  const proxy = await recordProxy(t, "capitalizer", server);
  // The original client ends with a traceback when its input runs out; what it sent and got is the session.
  await runProgram(python(), [path.join(originalsDir, "tcpclient.py")], {
    input: lines("hello", "Straße"),
    env: { HOST: "127.0.0.1", PORT: String(proxy.port) },
  });
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
  const server = await spawnTarget(`${python()} ${path.join(originalsDir, "udpserver.py")}`, { host: "127.0.0.1", transport: "udp" }).start();
  t.teardown(() => server.stop());
  const proxy = await recordProxy(t, "bank", server);
  const { username, pin } = bank.defaults;
  await runProgram(python(), [path.join(originalsDir, "udpclient.py")], {
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

/** The most a cut recording's file may take: its payloads as text or base64, each event's JSON, and a wide margin. */
const MAX_FILE_BYTES = 3 * (2 * RECORDING_LIMITS.bytes + 200 * RECORDING_LIMITS.events);

t.test("record in front of an endless TCP reply: the recording stops at its byte limit, and the transcript says so", async (t) => {
  const server = net.createServer((socket) => {
    socket.on("error", () => {});
    const chunk = Buffer.alloc(64 * 1024, "A");
    const more = () => {
      while (!socket.destroyed && socket.write(chunk));
      if (!socket.destroyed) socket.once("drain", more);
    };
    socket.once("data", more);
  });
  const port = await listen(server, "127.0.0.1", 0);
  t.teardown(() => closeServer(server));
  const proxy = await recordProxy(t, "capitalizer", { host: "127.0.0.1", port });
  const client = net.connect({ host: "127.0.0.1", port: proxy.port });
  client.on("error", () => {});
  t.teardown(() => void client.destroy());
  client.resume(); // a client that takes all it is sent
  client.write("hello");
  const { code, stderr, transcript } = await proxy.ended();
  t.equal(code, 1, "a cut recording is no clean one");
  assertValid("transcript.schema.json", transcript, "the recorded session");
  t.match(stderr, "not the whole session: the recording stopped at its limit of 2,097,152 bytes of payload");
  t.match(
    transcript.description,
    /^Not the whole session: the recording stopped at its limit of 2,097,152 bytes of payload, and what came after it is not in it \([\d,]+ events\)/,
  );
  t.same(
    transcript.events.slice(0, 2).map((e) => [e.type, e.text]),
    [
      ["connect", undefined],
      ["send", "hello"],
    ],
  );
  t.ok(transcript.events.filter((e) => e.type === "recv").length > 1, "what came until then is kept");
  const { size } = await stat(proxy.out);
  t.ok(size < MAX_FILE_BYTES, `the file is ${size} bytes, under ${MAX_FILE_BYTES}`);
});

t.test("record in front of a UDP flood: the recording stops at its event limit, with the transcript written", async (t) => {
  const server = dgram.createSocket("udp4");
  let flooding = true;
  server.on("error", () => {});
  server.once("message", (_datagram, from) => {
    // Batches of datagrams, each batch a turn of the event loop, so that this process keeps going too.
    const flood = () => {
      for (let i = 0; i < 200 && flooding; i++) server.send("0123456789abcdef", from.port, from.address);
      if (flooding) setImmediate(flood);
    };
    flood();
  });
  const port = await bind(server, "127.0.0.1", 0);
  t.teardown(async () => {
    flooding = false;
    await closeSocket(server);
  });
  const proxy = await recordProxy(t, "bank", { host: "127.0.0.1", port });
  const client = dgram.createSocket("udp4");
  await bind(client, "127.0.0.1", 0);
  t.teardown(() => closeSocket(client));
  client.send("b", proxy.port, "127.0.0.1");
  const { code, stderr, transcript } = await proxy.ended();
  flooding = false;
  t.equal(code, 1, "a cut recording is no clean one");
  assertValid("transcript.schema.json", transcript, "the recorded session");
  t.match(stderr, `the recording stopped at its limit of ${RECORDING_LIMITS.events.toLocaleString("en")} events`);
  t.equal(transcript.events.length, RECORDING_LIMITS.events);
  t.same(transcript.events[0], { conn: "s1", type: "send", text: "b" });
  const { size } = await stat(proxy.out);
  t.ok(size < MAX_FILE_BYTES, `the file is ${size} bytes, under ${MAX_FILE_BYTES}`);
});
