// A close is seen only when the check's process gets to it: on a loaded machine, after later sends. An
// idle close must still be told from a close the server had no right to make.
import { once } from "node:events";
import t, { type Test } from "tap";
import net from "node:net";
import { TcpConnection } from "../../../transport/tcp-connection.js";
import { closeServer, listen } from "../../../transport/tcp-server.js";
import { formatTranscript, TranscriptRecorder } from "../../../transport/transcript.js";
import { startProgram } from "../../support/helpers.js";

const idleMs = 200;

/** A server in a process of its own (so that blocking this one does not stop it) that closes each connection `idleMs` after accepting it. */
async function closingServer(t: Test): Promise<number> {
  const script = `const s = require("node:net").createServer((c) => setTimeout(() => c.end(), ${idleMs}));
s.listen(0, "127.0.0.1", () => console.log(s.address().port));`;
  const child = startProgram(process.execPath, ["-e", script]);
  t.teardown(() => void child.kill("SIGKILL"));
  const [port] = (await once(child.stdout, "data")) as [Buffer];
  return Number(port.toString().trim());
}

/** Keeps this process from reading anything for `ms`, as a loaded machine does. */
function busy(ms: number): void {
  const until = performance.now() + ms;
  while (performance.now() < until);
}

const read = (conn: TcpConnection) => conn.read({ timeoutMs: 10_000, settleMs: 50 });

t.test("a close that came while this process was busy, seen after a later send, is a close after idle", async (t) => {
  const conn = await TcpConnection.open("127.0.0.1", await closingServer(t), "c1");
  t.teardown(() => conn.close());
  busy(idleMs * 2); // the server closes meanwhile; this process sees it only after the send below
  conn.send("late\n");
  t.equal((await read(conn)).kind, "closed");
  t.ok(conn.closedAfterIdle(idleMs), "left without a sentence for longer than the idle timeout");
});

t.test("a close soon after the last send, with no long stretch before it, is not a close after idle", async (t) => {
  const conn = await TcpConnection.open("127.0.0.1", await closingServer(t), "c1");
  t.teardown(() => conn.close());
  conn.send("now\n");
  t.equal((await read(conn)).kind, "closed");
  t.notOk(conn.closedAfterIdle(idleMs * 25), "the server closed it well within 25 times the idle timeout");
});

t.test("a connection that could not open says why in the transcript: refused, not a timeout", async (t) => {
  const server = net.createServer();
  const port = await listen(server, "127.0.0.1", 0);
  await closeServer(server); // nothing listens there now
  const recorder = new TranscriptRecorder("capitalizer");
  await t.rejects(TcpConnection.open("127.0.0.1", port, "c1", recorder));
  t.equal(formatTranscript(recorder.transcript()), "c1 could not connect: refused (ECONNREFUSED)");
});
