import dgram from "node:dgram";
import http from "node:http";
import net from "node:net";
import t, { type Test } from "tap";
import { createCapitalizerServer } from "../../protocols/capitalizer/reference/server.js";
import { appliedReply, balanceReply, bank } from "../../protocols/bank/spec/index.js";
import { capitalizer } from "../../protocols/capitalizer/spec/index.js";
import { closeServer, listen } from "../../transport/tcp-server.js";
import { bind, closeSocket } from "../../transport/udp-server.js";
import { runCli } from "../support/helpers.js";

const counted = ["--warmup", "0", "--requests", "300"];

async function tcpServer(t: Test, server: net.Server): Promise<string> {
  const port = await listen(server, "127.0.0.1", 0);
  t.teardown(() => closeServer(server));
  return String(port);
}

t.test("bench capitalizer: the spawned reference answers every request right", async (t) => {
  const result = await runCli(["bench", "capitalizer", "--clients", "4", ...counted, "--json"]);
  t.equal(result.code, 0, result.stderr);
  const report = JSON.parse(result.stdout);
  t.match(report, { protocol: "capitalizer", workload: "sentences", clients: 4, ok: 300, errors: 0, timeouts: 0 });
  t.ok(report.throughput > 0 && report.latencyMs.p50 > 0 && report.latencyMs.p99 >= report.latencyMs.p50, "throughput and percentiles");
  t.notOk(report.cutShort);
});

t.test("bench says so when a server's quota cuts the run short", async (t) => {
  const port = await tcpServer(t, createCapitalizerServer());
  const result = await runCli(["bench", "capitalizer", "--port", port, "--clients", "2", ...counted]);
  t.equal(result.code, 0, "a quota is no wrong answer");
  t.match(result.stdout, `answers     ${capitalizer.limits.quota} right, 0 wrong`);
  t.match(result.stdout, /CUT SHORT: 2 of 2 clients: the server's quota is used up \(it sent the limit notice\); restart it, or raise its quota/);
  t.notMatch(result.stdout, /sockspec serve/, "in terms of the server loaded, not of the reference");
});

t.test("bench counts wrong answers and exits 1: a fast wrong server is not fast", async (t) => {
  // Upper-cases but forgets the suffix.
  const port = await tcpServer(
    t,
    net.createServer((socket) => socket.on("data", (chunk) => socket.write(chunk.toString().toUpperCase()))),
  );
  const result = await runCli(["bench", "capitalizer", "--port", port, "--clients", "2", ...counted]);
  t.equal(result.code, 1);
  t.match(result.stdout, "answers     0 right, 300 wrong");
  t.match(result.stdout, /WRONG ANSWER: expected "LOAD TEST SENTENCE \d+ FROM CLIENT \d\\nAwaiting next string\.\.\.", got "LOAD TEST SENTENCE/);
});

t.test("bench bank: balance requests and deposits against the spawned reference; the deposits add up", async (t) => {
  for (const workload of ["balance", "deposit"]) {
    const result = await runCli(["bench", "bank", "--workload", workload, "--clients", "8", ...counted, "--json"]);
    t.equal(result.code, 0, result.stderr);
    t.match(JSON.parse(result.stdout), { protocol: "bank", workload, clients: 8, ok: 300, errors: 0 });
    t.notOk(JSON.parse(result.stdout).verifyError, workload);
  }
});

t.test("bench bank catches a bank that acknowledges deposits it never makes", async (t) => {
  const socket = dgram.createSocket("udp4");
  socket.on("message", (datagram, from) => {
    const text = datagram.toString();
    const reply = text === "b" ? balanceReply(0n) : text.startsWith("d") ? bank.wireTexts.challenge : appliedReply("deposit", "1", 1n);
    socket.send(reply, from.port, from.address);
  });
  const port = await bind(socket, "127.0.0.1", 0);
  t.teardown(() => closeSocket(socket));
  const result = await runCli(["bench", "bank", "--port", String(port), "--workload", "deposit", "--clients", "2", ...counted]);
  t.equal(result.code, 1);
  t.match(result.stdout, "WRONG OVER THE RUN: the balance moved by 0 (0 to 0), but 300 deposits of 1 were acknowledged");
});

t.test("bench status: keep-alive clients cycle through the codes; a server that answers 200 to everything is all wrong", async (t) => {
  const result = await runCli(["bench", "status", "--clients", "4", ...counted, "--json"]);
  t.equal(result.code, 0, result.stderr);
  t.match(JSON.parse(result.stdout), { protocol: "status", workload: "echo", clients: 4, ok: 300, errors: 0, timeouts: 0 });
  const port = await tcpServer(
    t,
    http.createServer((_request, response) => response.end("hello")),
  );
  const wrong = await runCli(["bench", "status", "--port", port, "--clients", "2", ...counted]);
  t.equal(wrong.code, 1);
  t.match(wrong.stdout, /WRONG ANSWER: expected "\d{3} .+", got "200 hello"/);
});

t.test("bench says what it starts, on a line of its own when not on a terminal", async (t) => {
  const result = await runCli(["bench", "status", "--clients", "2", "--warmup", "0", "--requests", "20"]);
  t.equal(result.code, 0, result.stderr);
  t.match(result.stderr, /^sockspec bench: 2 status clients against the reference server \(.*\), 0 s of warm-up then 20 requests\n$/);
});

t.test("bench against a server it cannot reach, or that answers nothing: one line, exit 2", async (t) => {
  // A port nothing listens on: a listener closed at once.
  const closed = net.createServer();
  const free = await listen(closed, "127.0.0.1", 0);
  await closeServer(closed);
  const refused = await runCli(["bench", "capitalizer", "--port", String(free), ...counted]);
  t.equal(refused.code, 2);
  t.match(refused.stderr, new RegExp(`^sockspec: cannot reach 127\\.0\\.0\\.1:${free} \\(ECONNREFUSED\\)\n$`, "m"));
  t.equal(refused.stderr.trim().split("\n").length, 2, "the start line and the error, no stack");
  const refusedHttp = await runCli(["bench", "status", "--port", String(free), ...counted]);
  t.equal(refusedHttp.code, 2);
  t.match(refusedHttp.stderr, /answered nothing in .* s \(32 of 32 clients: the connection failed \(ECONNREFUSED\)\)/);
  // A UDP port nobody answers on.
  const silent = dgram.createSocket("udp4");
  const port = await bind(silent, "127.0.0.1", 0);
  t.teardown(() => closeSocket(silent));
  const unanswered = await runCli(["bench", "bank", "--port", String(port), "--clients", "2", "--warmup", "0", "--requests", "4", "--timeout", "100"]);
  t.equal(unanswered.code, 2);
  t.match(unanswered.stderr, /answered nothing in .* s \(every request timed out after 100 ms\)/);
  const spawnFails = await runCli(["bench", "capitalizer", "--spawn", "true", ...counted]);
  t.equal(spawnFails.code, 2);
  t.equal(spawnFails.stderr.trim().split("\n").length, 1, spawnFails.stderr);
});
