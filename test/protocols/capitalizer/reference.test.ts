import { once } from "node:events";
import net from "node:net";
import { setTimeout as sleep } from "node:timers/promises";
import t from "tap";
import { addressTarget, capitalizer, check, createCapitalizerServer, type Report } from "../../../index.js";
import { assertValid } from "../../../spec/validator.js";
import { closeServer, listen } from "../../../transport/tcp-server.js";

const outcomes = (report: Report) => Object.fromEntries(report.rules.map((r) => [r.id, r.outcome]));

t.test("the reference server passes every rule", async (t) => {
  const report = await check({ protocol: "capitalizer", runs: 50 });
  t.doesNotThrow(() => assertValid("report.schema.json", report, "the report"));
  for (const rule of report.rules) t.equal(rule.outcome, "pass", `${rule.id}: ${rule.detail.message}`);
  t.equal(report.summary.total, report.rules.length);
  t.ok(report.summary.ok);
  t.ok(
    report.rules.some((r) => /fixture replay/.test(r.detail.message)),
    "fixtures are replayed",
  );
});

t.test("a bare host/port: rules that need fresh servers skip, the rest run until the quota is used up", async (t) => {
  const server = createCapitalizerServer({ idleTimeoutMs: 300 });
  const port = await listen(server, "127.0.0.1", 0);
  t.teardown(() => closeServer(server));
  const report = await check({ protocol: "capitalizer", target: addressTarget("127.0.0.1", port), runs: 5, limits: { idleTimeoutMs: 300 } });
  for (const rule of capitalizer.rules.filter((r) => r.needs === "fresh-server")) {
    t.equal(outcomes(report)[rule.id], "skip", rule.id);
    t.match(report.rules.find((r) => r.id === rule.id)!.detail.message, /--spawn/);
  }
  t.same(
    report.rules.filter((r) => r.outcome === "pass").map((r) => r.id),
    ["CAP-REPLY-UPPER", "CAP-REPLY-SUFFIX", "CAP-IDLE-TIMEOUT"],
    "the 10-sentence quota covers the first two reply rules' five runs each; the idle timeout costs no sentence",
  );
  t.equal(outcomes(report)["CAP-FRAME-ONE-WRITE"], "skip", "no quota left for it");
  t.match(report.rules.find((r) => r.id === "CAP-FRAME-ONE-WRITE")!.detail.message, /quota was used up/);
  t.ok(report.summary.ok);
});

t.test("--only narrows the run, and an unknown rule ID is refused", async (t) => {
  const report = await check({ protocol: "capitalizer", only: ["CAP-QUOTA-LIMIT"], runs: 3 });
  t.same(
    report.rules.map((r) => r.id),
    ["CAP-QUOTA-LIMIT"],
  );
  await t.rejects(check({ protocol: "capitalizer", only: ["CAP-NOPE"] }), /unknown rule ID/);
});

t.test("the same seed gives the same report", async (t) => {
  const strip = (report: Report) => report.rules.map((r) => ({ ...r, detail: { ...r.detail, ms: 0 } }));
  // A long idle timeout, not waited out, so that a loaded machine cannot make one run not checkable.
  const options = { protocol: "capitalizer", runs: 5, seed: 7, limits: { idleTimeoutMs: 60_000 }, exclude: ["CAP-IDLE-TIMEOUT"] } as const;
  const [a, b] = [await check(options), await check(options)];
  t.same(strip(a), strip(b));
});

t.test("a client that writes without reading cannot grow the server's memory: the server stops reading it", async (t) => {
  const server = createCapitalizerServer({ limit: Number.MAX_SAFE_INTEGER });
  const accepted = new Promise<net.Socket>((resolve) => server.once("connection", resolve));
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  t.teardown(() => new Promise((resolve) => server.close(resolve)));
  const client = net.connect((server.address() as net.AddressInfo).port, "127.0.0.1");
  t.teardown(() => client.destroy());
  client.pause(); // never reads a reply
  const served = await accepted;
  const sentence = Buffer.alloc(1024, "a");
  // Up to 20 MiB of sentences, each answered with 1 KiB: unbounded, the unread replies would be 20 MiB. The
  // writes stop being taken once the server stops reading (no drain within a second).
  let written = 0;
  while (written < 20 * 1024) {
    written += 1;
    if (client.write(sentence)) continue;
    const drained = await Promise.race([once(client, "drain").then(() => true), sleep(1000).then(() => false)]);
    if (!drained) break;
  }
  t.ok(written < 20 * 1024, `the server stopped taking writes after ${written} KiB`);
  t.ok(served.isPaused(), "the server stopped reading the client");
  t.ok(served.writableLength < 1024 * 1024, `replies waiting: ${served.writableLength} bytes, bounded`);
});
