import { once } from "node:events";
import http from "node:http";
import net from "node:net";
import { setTimeout as sleep } from "node:timers/promises";
import t, { type Test } from "tap";
import { check, inProcessTarget, tcpServer } from "../../../index.js";
import { MAX_HELD_CONNECTIONS } from "../../../protocols/status/checks/connections.js";
import { createStatusServer } from "../../../protocols/status/reference/server.js";
import { closeServer, listen } from "../../../transport/tcp-server.js";

/** Far above what a served or refused connection takes: only a server that neither answers nor refuses reaches it. */
const DEADLINE_MS = 10_000;
/** A request whose headers never end: the connection is held until they do. */
const SLOW_HEADERS = "GET /200 HTTP/1.1\r\nHost: status\r\n";

/** The reference status server with a small per-address cap, the connections it is handed (in order), stopped when the test ends. */
async function cappedServer(t: Test, maxConnectionsPerAddress: number) {
  const server = createStatusServer({ maxConnectionsPerAddress });
  const accepted: net.Socket[] = [];
  server.on("connection", (socket: net.Socket) => accepted.push(socket));
  const port = await listen(server, "127.0.0.1", 0);
  t.teardown(() => closeServer(server));
  return { port, accepted };
}

/** A raw connection from `localAddress`, closed when the test ends. */
async function connect(t: Test, port: number, localAddress = "127.0.0.1"): Promise<net.Socket> {
  const socket = net.connect({ host: "127.0.0.1", port, localAddress });
  t.teardown(() => socket.destroy());
  await once(socket, "connect");
  return socket;
}

/** What the server sends on a connection until it closes it (or the deadline passes). */
async function untilClosed(socket: net.Socket): Promise<string> {
  let text = "";
  socket.on("data", (chunk: Buffer) => (text += chunk.toString("latin1")));
  const ended = once(socket, "end").then(() => true);
  const late = sleep(DEADLINE_MS, false, { ref: false });
  return (await Promise.race([ended, late])) ? text : `${text}(still open after ${DEADLINE_MS} ms)`;
}

/** GET /200 from `localAddress` on a connection of its own: the status code. */
async function get200(t: Test, port: number, localAddress: string): Promise<number | undefined> {
  const agent = new http.Agent({ keepAlive: false });
  t.teardown(() => agent.destroy());
  const request = http.get({ host: "127.0.0.1", port, path: "/200", localAddress, agent, timeout: DEADLINE_MS });
  request.on("timeout", () => request.destroy(new Error(`no answer within ${DEADLINE_MS} ms`)));
  const [response] = (await once(request, "response")) as [http.IncomingMessage];
  response.resume();
  await once(response, "end");
  return response.statusCode;
}

t.test("one address past its cap of slow-header connections is refused at once; another address is served", async (t) => {
  const cap = 4;
  const { port, accepted } = await cappedServer(t, cap);
  const held = [];
  for (let n = 0; n < cap; n++) {
    const socket = await connect(t, port);
    socket.write(SLOW_HEADERS);
    held.push(socket);
  }
  // Connections are taken in the order they were accepted: this one comes after the held ones.
  const refused = await untilClosed(await connect(t, port));
  t.match(refused, /^HTTP\/1\.1 503 Service Unavailable\r\n/, "the connection past the cap gets the 503 answer");
  t.match(refused, /\r\nconnection: close\r\n/i, "which says the connection closes");
  t.equal(await get200(t, port, "127.0.0.2"), 200, "a client from 127.0.0.2 is served meanwhile");

  // A held connection is served as any other once its headers end.
  const [first] = held;
  first!.write("Connection: close\r\n\r\n");
  t.match(await untilClosed(first!), /^HTTP\/1\.1 200 OK\r\n/, "a held connection's request is answered once complete");
  if (!accepted[0]!.closed) await once(accepted[0]!, "close");
  t.equal(await get200(t, port, "127.0.0.1"), 200, "once it is gone, its address is served again");
});

t.test("a refused client that never closes its side is dropped", async (t) => {
  const { port, accepted } = await cappedServer(t, 1);
  (await connect(t, port)).write(SLOW_HEADERS);
  const socket = net.connect({ host: "127.0.0.1", port, allowHalfOpen: true });
  t.teardown(() => socket.destroy());
  socket.on("error", () => {});
  t.match(await untilClosed(socket), /^HTTP\/1\.1 503 /);
  const dropped = new Promise((resolve) => accepted[1]!.once("close", resolve));
  const late = sleep(DEADLINE_MS, "late", { ref: false });
  t.not(await Promise.race([dropped, late]), "late", "the server dropped the connection it refused");
});

const RULE = "STATUS-CONNECTIONS-PER-ADDRESS";

t.test(`${RULE}: another address refused as busy (503) breaks it, and says so`, async (t) => {
  const busy = inProcessTarget(
    "503 to everything",
    tcpServer(() =>
      http.createServer((_request, response) => {
        response.writeHead(503);
        response.end();
      }),
    ),
  );
  const [rule] = (await check({ protocol: "status", target: busy, only: [RULE], shrinkTimeMs: 0 })).rules;
  t.equal(rule!.outcome, "non-strict", rule!.detail.message);
  t.match(
    rule!.detail.expected,
    /from 127\.0\.0\.2 .* while 127\.0\.0\.1 holds 64 connection\(s\) with unfinished request heads, not refused as busy \(503\)$/,
  );
  t.match(rule!.detail.actual, /^"HTTP\/1\.1 503 /);
});

t.test(`${RULE}: a cap above what the check holds is not checked, and the report says how to check it`, async (t) => {
  const limits = { maxConnectionsPerAddress: MAX_HELD_CONNECTIONS + 1 };
  const [rule] = (await check({ protocol: "status", only: [RULE], limits })).rules;
  t.equal(rule!.outcome, "skip");
  t.match(rule!.detail.message, /more than the \d+ the check holds; check it with a lower cap \(--limit maxConnectionsPerAddress\)/);
});
