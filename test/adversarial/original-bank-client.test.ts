// The original udpclient.py checked as a client: its true verdict rule by rule, asserted with its baseline.
import path from "node:path";
import t from "tap";
import { checkClient } from "../../conformance/client/client-runner.js";
import { builtInProtocol } from "../../protocols/registry.js";
import type { BankClientRuleId } from "../../protocols/bank/spec/rule-ids.js";
import { expectBaseline, expectVerdict, originalsDir, originalsSkipReason, python } from "../support/helpers.js";

const bank = builtInProtocol("bank");

t.test("the original udpclient.py: its true verdict rule by rule, as its baseline says", { skip: originalsSkipReason() }, async (t) => {
  const report = await checkClient({ protocol: bank, spawn: `${python()} ${path.join(originalsDir, "udpclient.py")}`, runs: 30, jobs: 6 });
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
