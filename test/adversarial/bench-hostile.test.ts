import dgram from "node:dgram";
import path from "node:path";
import t, { type Test } from "tap";
import { STOP_SLACK_MS } from "../../load/driver.js";
import { balanceReply } from "../../protocols/bank/spec/index.js";
import { packageRoot } from "../../spec/paths.js";
import { bind, closeSocket } from "../../transport/udp-server.js";
import type { HostileKind } from "./hostile/servers.js";
import { runCli } from "../support/helpers.js";

const serve = path.join(packageRoot, "dist", "test", "adversarial", "hostile", "serve.js");
const spawnHostile = (kind: HostileKind) => `"${process.execPath}" "${serve}" ${kind}`;

const DURATION_S = 2;
const TIMEOUT_MS = 300;
const short = ["--warmup", "0", "--duration", String(DURATION_S), "--timeout", String(TIMEOUT_MS), "--clients", "2"];

/**
 * Runs a bench of DURATION_S and requires it to end near that, whatever the server does: within three
 * times the duration, the timeout and the stated slack (CI machines are loaded; a bench that ignored its
 * duration would go on for minutes).
 */
async function boundedBench(t: Test, args: string[]) {
  const started = performance.now();
  const result = await runCli(["bench", ...args, ...short]);
  const seconds = (performance.now() - started) / 1000;
  const bound = 3 * (DURATION_S + (TIMEOUT_MS + STOP_SLACK_MS) / 1000);
  t.ok(seconds < bound, `ended in ${seconds.toFixed(1)} s, under ${bound.toFixed(1)} s`);
  t.ok(result.stdout.length < 2000, `a short report (${result.stdout.length} characters)`);
  return result;
}

/**
 * A bank on a loopback port that answers the index-th request (from 0) with a balance after each of
 * `delays(index)` milliseconds (0: at once); stopped at the test's end.
 */
async function bankServer(t: Test, delays: (index: number) => number[]): Promise<string> {
  const socket = dgram.createSocket("udp4");
  const timers = new Set<NodeJS.Timeout>();
  let count = 0;
  socket.on("error", () => {}); // a client's socket closed before its late answer: ICMP unreachable
  socket.on("message", (_datagram, from) => {
    const reply = () => socket.send(balanceReply(0n), from.port, from.address);
    for (const ms of delays(count++)) {
      if (ms === 0) reply();
      else {
        const timer = setTimeout(() => {
          timers.delete(timer);
          reply();
        }, ms);
        timers.add(timer);
      }
    }
  });
  const port = await bind(socket, "127.0.0.1", 0);
  t.teardown(async () => {
    for (const timer of timers) clearTimeout(timer);
    await closeSocket(socket);
  });
  return String(port);
}

t.test("bench status against an endless body: each answer is cut at the byte cap, counted wrong and shown briefly", async (t) => {
  const result = await boundedBench(t, ["status", "--spawn", spawnHostile("http-endless-chunked")]);
  t.equal(result.code, 1, result.stderr);
  t.match(result.stdout, /answers {5}0 right, [1-9]\d* wrong/);
  t.match(result.stdout, /WRONG ANSWER: expected "\d{3} .*", got "200 AAAA+"… \([\d,]+ bytes and more: the bench hung up there\)/);
});

t.test("bench status against a storm of 1xx interim answers: each request times out, and the run ends on time", async (t) => {
  const result = await boundedBench(t, ["status", "--spawn", spawnHostile("http-1xx-storm")]);
  t.equal(result.code, 2);
  t.match(result.stderr, `answered nothing in`);
  t.match(result.stderr, `every request timed out after ${TIMEOUT_MS} ms`);
});

t.test("bench capitalizer against an endless reply: cut at the byte cap, and the bench says it hung up itself", async (t) => {
  const result = await boundedBench(t, ["capitalizer", "--spawn", spawnHostile("tcp-endless")]);
  t.equal(result.code, 1, result.stderr);
  t.match(result.stdout, "answers     0 right, 2 wrong");
  t.match(result.stdout, /got "AAAA+"… \(262,144 bytes and more: the bench hung up there\)/);
  t.match(result.stdout, "CUT SHORT: 2 of 2 clients: the bench closed the connection: an answer ran past 262,144 bytes");
  t.notMatch(result.stdout, "the server closed");
});

t.test("bench bank against a bank that answers every request ten times: the extra answers are wrong", async (t) => {
  const port = await bankServer(t, () => Array<number>(10).fill(0));
  const result = await boundedBench(t, ["bank", "--port", port, "--json"]);
  t.equal(result.code, 1, result.stderr);
  const report = JSON.parse(result.stdout);
  t.ok(report.errors > 0, `${report.errors} wrong`);
  t.match(report.examples[0].actual, /^(\d+ answers|\d+ unasked), the first: 0 dollar/);
});

t.test("bench bank against a bank that answers every request late: nothing is right, the late answers are counted", async (t) => {
  const port = await bankServer(t, () => [2 * TIMEOUT_MS]);
  const result = await boundedBench(t, ["bank", "--port", port]);
  t.equal(result.code, 2);
  t.match(result.stderr, new RegExp(`answered nothing in .* s \\(every request timed out after ${TIMEOUT_MS} ms; [1-9]\\d* answers came after it\\)`));
});

t.test("bench bank never takes a late answer for a later request's", async (t) => {
  // Every other request is answered at once, the others after twice the timeout.
  let prompt = 0;
  const port = await bankServer(t, (index) => (index % 2 === 0 ? (prompt++, [0]) : [2 * TIMEOUT_MS]));
  const result = await boundedBench(t, ["bank", "--port", port, "--json"]);
  t.equal(result.code, 0, result.stderr);
  const report = JSON.parse(result.stdout);
  t.ok(report.ok > 0 && report.ok <= prompt, `${report.ok} right, of ${prompt} answers in time`);
  t.ok(report.timeouts > 0 && report.late > 0, `${report.timeouts} timeouts, ${report.late} answered late`);
  t.equal(report.errors, 0);
});
