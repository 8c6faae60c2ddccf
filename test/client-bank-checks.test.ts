import path from "node:path";
import t from "tap";
import { checkClient } from "../conformance/client/client-runner.js";
import { builtInProtocol } from "../protocols/registry.js";
import type { BankClientRuleId } from "../protocols/bank/spec/rule-ids.js";
import { assertValid } from "../spec/validator.js";
import { cliPath, expectBaseline, expectVerdict, originalsDir, originalsSkipReason, python } from "./helpers.js";

const bank = builtInProtocol("bank");

t.test("the reference client meets every client rule", async (t) => {
  const started = performance.now();
  const report = await checkClient({ protocol: bank, spawn: `${process.execPath} ${cliPath} client bank --port {port}`, runs: 30, jobs: 6 });
  t.comment(`a client check of the reference (30 runs) took ${Math.round(performance.now() - started)} ms`);
  assertValid("report.schema.json", report, "the report");
  expectVerdict<BankClientRuleId>(t, report, {});
  t.equal(report.rules.length, bank.spec.clientRules!.length, "every client rule checked");
});

t.test("the original udpclient.py: its true verdict rule by rule, as its baseline says", { skip: originalsSkipReason() }, async (t) => {
  const started = performance.now();
  const report = await checkClient({ protocol: bank, spawn: `${python()} ${path.join(originalsDir, "udpclient.py")}`, runs: 30, jobs: 6 });
  t.comment(`a client check of the original (30 runs) took ${Math.round(performance.now() - started)} ms`);
  expectVerdict<BankClientRuleId>(t, report, {
    // recvfrom(2048) without a timeout: a lost datagram leaves it waiting for ever.
    "BANKC-LOST-REPLY": "fail",
  });
  expectBaseline(t, report, "original-bank-client");
  // It never looks at the sender, but its socket is connect()ed: the kernel drops a spoofed datagram.
  t.equal(report.rules.find((r) => r.id === "BANKC-SPOOF-IGNORED")!.outcome, "pass", "spoofed datagrams never reach recvfrom");
  const lost = report.rules.find((r) => r.id === "BANKC-LOST-REPLY")!;
  t.ok(
    lost.detail.transcript!.events.some((e) => e.conn === "stdout") && lost.detail.transcript!.events.some((e) => e.conn === "c1" && e.type === "silence"),
    "the transcript holds the client's output and the lost reply",
  );
});
