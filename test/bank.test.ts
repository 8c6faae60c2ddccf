import path from "node:path";
import t from "tap";
import { check, inProcessTarget, spawnTarget, udpServer } from "../index.js";
import { bank } from "../spec/bank/index.js";
import { assertValid } from "../spec/validator.js";
import { brokenBankLimits, brokenBanks, createBrokenBank } from "./broken/bank.js";
import { packageRoot } from "../spec/paths.js";
import { cliPath, unmetRules } from "./helpers.js";

t.test("the built-in reference bank passes every rule, the crash test too (its killed servers run as processes of their own)", async (t) => {
  const report = await check({ protocol: "bank", runs: 30 });
  assertValid("report.schema.json", report, "the report");
  for (const rule of report.rules) t.equal(rule.outcome, "pass", `${rule.id}: ${rule.detail.message}`);
  t.match(report.rules.find((r) => r.id === "BANK-CRASH-DURABLE")!.detail.message, /6 kills/);
});

t.test("the reference bank, killed at random moments, loses no acknowledged change", async (t) => {
  const target = spawnTarget(`node ${cliPath} serve bank --port {port}`, { host: "127.0.0.1", transport: "udp" });
  const report = await check({ protocol: "bank", target, only: ["BANK-CRASH-DURABLE"], runs: 30 });
  const [rule] = report.rules;
  t.equal(rule!.outcome, "pass", `${rule!.detail.message} ${rule!.detail.expected ?? ""} ${rule!.detail.actual ?? ""}`);
  t.match(rule!.detail.message, /60 operations, 6 kills/);
});

t.test("the crash test catches a bank that rewrites its file in place", async (t) => {
  const command = `node ${path.join(packageRoot, "dist", "test", "broken", "bank-process.js")} '${JSON.stringify({ writesInPlace: true })}'`;
  const target = spawnTarget(command, { host: "127.0.0.1", transport: "udp" });
  const report = await check({ protocol: "bank", target, only: ["BANK-CRASH-DURABLE"], runs: 30, shrinkTimeMs: 0 });
  const [rule] = report.rules;
  t.equal(rule!.outcome, "fail");
  t.match(rule!.detail.expected, /the data file in the legacy format after a kill/);
  t.match(rule!.detail.actual, /^""$/, "the file was left empty");
});

for (const broken of brokenBanks) {
  t.test(`catches a bank server with ${broken.name}`, async (t) => {
    const target = inProcessTarget(
      broken.name,
      udpServer((workdir) => createBrokenBank(workdir, broken.defects)),
    );
    const report = await check({ protocol: "bank", target, runs: 30, limits: brokenBankLimits, timeouts: { replyMs: 300 } });
    const failed = unmetRules(report, "MUST");
    for (const id of broken.fails) t.ok(failed.includes(id), `fails ${id}`);
    for (const id of failed) t.ok(broken.fails.includes(id) || broken.mayFail?.includes(id), `${id} is a failure it was expected to cause`);
    t.same(unmetRules(report, "SHOULD"), broken.warns ?? [], "the SHOULDs it breaks");
  });
}

t.test("a recorded fixture is replayed over UDP and a difference names the fixture", async (t) => {
  const target = inProcessTarget(
    "deposit applied twice",
    udpServer((workdir) => createBrokenBank(workdir, { depositTwice: true })),
  );
  const report = await check({ protocol: "bank", target, only: ["BANK-DEPOSIT"], runs: 3, limits: brokenBankLimits });
  const detail = report.rules[0]!.detail;
  t.equal(report.rules[0]!.outcome, "fail");
  t.equal(detail.fixture, "fixtures/bank/deposit.json");
  t.match(detail.expected, /s1 to receive "Deposited 50 dollar\(s\). Balance is now 50 dollar\(s\)."/);
  t.match(detail.actual, /Balance is now 100 dollar/);
  t.same(
    detail.transcript?.events.map((e) => `${e.conn} ${e.type} ${e.text}`),
    ["s1 send d50", `s1 recv ${bank.wireTexts.challenge}`, "s1 send ucharles p02323", "s1 recv Deposited 50 dollar(s). Balance is now 100 dollar(s)."],
  );
});

t.test("a bank server with no defects passes (the crash test skips: it is in this process)", async (t) => {
  const report = await check({
    protocol: "bank",
    target: inProcessTarget(
      "no defects",
      udpServer((workdir) => createBrokenBank(workdir, {})),
    ),
    runs: 30,
    limits: brokenBankLimits,
  });
  t.same(
    report.rules.filter((r) => r.outcome !== "pass").map((r) => `${r.id} ${r.outcome}`),
    ["BANK-CRASH-DURABLE skip"],
  );
});
