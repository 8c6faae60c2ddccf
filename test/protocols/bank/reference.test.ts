import dgram from "node:dgram";
import t from "tap";
import { addressTarget, bind, check, inProcessTarget, spawnTarget, udpServer } from "../../../index.js";
import { balanceReply, bank } from "../../../protocols/bank/spec/index.js";
import { assertValid } from "../../../spec/validator.js";
import { brokenBankLimits, createBrokenBank } from "../../../protocols/bank/broken/servers.js";
import { cliPath } from "../../support/helpers.js";

t.test("the built-in reference bank passes every rule, the crash test too (its killed servers run as processes of their own)", async (t) => {
  const report = await check({ protocol: "bank", runs: 30 });
  assertValid("report.schema.json", report, "the report");
  for (const rule of report.rules) t.equal(rule.outcome, "pass", `${rule.id}: ${rule.detail.message}`);
  t.match(report.rules.find((r) => r.id === "BANK-CRASH-DURABLE")!.detail.message, /8 kills/);
});

t.test("the reference bank, killed at random moments, loses no acknowledged change", async (t) => {
  const target = spawnTarget(`node ${cliPath} serve bank --port {port}`, { host: "127.0.0.1", transport: "udp" });
  const report = await check({ protocol: "bank", target, only: ["BANK-CRASH-DURABLE"], runs: 30 });
  const [rule] = report.rules;
  t.equal(rule!.outcome, "pass", `${rule!.detail.message} ${rule!.detail.expected ?? ""} ${rule!.detail.actual ?? ""}`);
  t.match(rule!.detail.message, /80 operations, 8 kills/);
});

t.test("a recorded fixture is replayed over UDP and a difference names the fixture", async (t) => {
  const target = inProcessTarget(
    "deposit applied twice",
    udpServer((workdir) => createBrokenBank(workdir, { depositTwice: true })),
  );
  const report = await check({ protocol: "bank", target, only: ["BANK-DEPOSIT"], runs: 3, limits: brokenBankLimits });
  const detail = report.rules[0]!.detail;
  t.equal(report.rules[0]!.outcome, "fail");
  t.equal(detail.fixture, "protocols/bank/fixtures/deposit.json");
  t.match(detail.expected, /s1 to receive "Deposited 50 dollar\(s\). Balance is now 50 dollar\(s\)."/);
  t.match(detail.actual, /Balance is now 100 dollar/);
  t.same(
    detail.transcript?.events.map((e) => `${e.conn} ${e.type} ${e.text}`),
    ["s1 send d50", `s1 recv ${bank.wireTexts.challenge}`, "s1 send ucharles p02323", "s1 recv Deposited 50 dollar(s). Balance is now 100 dollar(s)."],
  );
});

t.test("a second answer to a run's last request fails the run: no later request is needed to see it", async (t) => {
  // A running server, so no fixture is replayed: the property run's one request is its last.
  const socket = dgram.createSocket("udp4");
  socket.on("message", (_datagram, remote) => {
    for (let i = 0; i < 2; i++) socket.send(balanceReply(0n), remote.port, remote.address);
  });
  const port = await bind(socket, "127.0.0.1", 0);
  t.teardown(() => socket.close());
  const report = await check({ protocol: "bank", target: addressTarget("127.0.0.1", port), only: ["BANK-BALANCE"], runs: 3 });
  const [rule] = report.rules;
  t.equal(rule!.outcome, "fail", rule!.detail.message);
  t.equal(rule!.detail.expected, "one answer to each request on s1");
});
