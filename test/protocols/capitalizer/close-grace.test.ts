import { once } from "node:events";
import net from "node:net";
import { setTimeout as sleep } from "node:timers/promises";
import t, { type Test } from "tap";
import { createCapitalizerServer } from "../../../protocols/capitalizer/reference/server.js";
import { capitalizer } from "../../../protocols/capitalizer/spec/index.js";
import { closeServer, listen } from "../../../transport/tcp-server.js";

const { busyNotice, replySuffix } = capitalizer.wireTexts;
/** Far above the idle timeout and grace the tests set: only a server that never drops a connection reaches it. */
const DEADLINE_MS = 15_000;

/**
 * A reference capitalizer with a short grace, its connections as the server sees them (in order), stopped when
 * the test ends. Its idle timeout is far above the few milliseconds a test takes to fill its slots.
 */
async function shortServer(t: Test, maxConnectionsPerAddress: number) {
  const server = createCapitalizerServer({ idleTimeoutMs: 2000, closeGraceMs: 200, maxConnectionsPerAddress });
  const accepted: net.Socket[] = [];
  server.on("connection", (socket: net.Socket) => accepted.push(socket));
  const port = await listen(server, "127.0.0.1", 0);
  t.teardown(() => closeServer(server));
  return { port, accepted };
}

/** A client that never closes its side, not even once the server has closed its own: it holds what the server lets it. */
async function holder(t: Test, port: number): Promise<net.Socket> {
  const socket = net.connect({ host: "127.0.0.1", port, allowHalfOpen: true });
  socket.on("error", () => {}); // the server's reset is what the tests wait for: it ends in "close"
  t.teardown(() => socket.destroy());
  await once(socket, "connect");
  return socket;
}

/** The first answer a new client gets to a sentence: a reply or the busy notice. */
async function firstAnswer(t: Test, port: number): Promise<string> {
  const socket = net.connect({ host: "127.0.0.1", port });
  t.teardown(() => socket.destroy());
  await once(socket, "connect");
  socket.write("hello");
  let text = "";
  for await (const chunk of socket) {
    text += String(chunk);
    if (text.endsWith(replySuffix) || text === busyNotice) break;
  }
  return text;
}

/** Resolves once each socket has closed on the server's side; rejects at DEADLINE_MS. */
async function allClosed(sockets: readonly net.Socket[]): Promise<void> {
  const closed = Promise.all(sockets.map((socket) => (socket.closed ? undefined : once(socket, "close"))));
  const deadline = sleep(DEADLINE_MS, undefined, { ref: false }).then(() => {
    throw new Error(`still open ${DEADLINE_MS} ms on: ${sockets.filter((s) => !s.closed).length} of ${sockets.length}`);
  });
  await Promise.race([closed, deadline]);
}

t.test("idle clients that ignore the server's FIN are dropped after the grace, and their address is served again", async (t) => {
  const perAddress = 4;
  const { port, accepted } = await shortServer(t, perAddress);
  const held = [];
  for (let n = 0; n < perAddress; n++) held.push(await holder(t, port));
  t.equal(await firstAnswer(t, port), busyNotice, "with the address's slots held, a further client is told the server is busy");
  await Promise.all(held.map((socket) => once(socket, "end"))); // the idle timeout's FIN, which they ignore
  await allClosed(accepted.slice(0, perAddress));
  t.pass("the server dropped every held connection");
  t.ok((await firstAnswer(t, port)).endsWith(replySuffix), "a new client from the same address is served");
  // Dropped, the server's side is gone: a write meets a reset, which a later write reports.
  const [first] = held;
  const reset = new Promise((resolve) => first!.once("close", resolve)); // once() would reject on the EPIPE
  const probe = () => first!.write("still there?", (error) => !error && setTimeout(probe, 10));
  probe();
  await reset;
  t.pass("the held client's writes are reset");
});

t.test("a client told the server is busy that ignores the FIN is dropped after the grace", async (t) => {
  const { port, accepted } = await shortServer(t, 1);
  await holder(t, port);
  const turnedAway = await holder(t, port);
  let notice = "";
  turnedAway.on("data", (chunk: Buffer) => (notice += String(chunk)));
  await once(turnedAway, "end");
  t.equal(notice, busyNotice);
  await allClosed(accepted.slice(1, 2));
  t.pass("the server dropped the connection it turned away");
});
