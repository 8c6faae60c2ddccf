// The original tcpclient.py checked as a client: its true verdict rule by rule, asserted with its baseline.
import path from "node:path";
import t from "tap";
import { checkClient } from "../../conformance/client/client-runner.js";
import { builtInProtocol } from "../../protocols/registry.js";
import type { CapitalizerClientRuleId } from "../../protocols/capitalizer/spec/rule-ids.js";
import { expectBaseline, expectVerdict, originalsDir, originalsSkipReason, python } from "../support/helpers.js";

const capitalizer = builtInProtocol("capitalizer");

t.test("the original tcpclient.py: its true verdict rule by rule, as its baseline says", { skip: originalsSkipReason() }, async (t) => {
  const report = await checkClient({ protocol: capitalizer, spawn: `${python()} ${path.join(originalsDir, "tcpclient.py")}` });
  expectVerdict<CapitalizerClientRuleId>(t, report, {
    // One recv(1024) per reply: the next line goes after the first piece, and the reply is shown cut.
    "CAPC-WAIT-REPLY": "fail",
    "CAPC-REPLY-WHOLE": "fail",
    // A close is an empty reply, then a wait for input for ever.
    "CAPC-SERVER-CLOSE": "fail",
    // EOFError is not caught: a traceback and no shutdown request.
    "CAPC-EOF-SHUTDOWN": "fail",
  });
  expectBaseline(t, report, "original-capitalizer-client");
  const whole = report.rules.find((r) => r.id === "CAPC-REPLY-WHOLE")!;
  t.ok(
    whole.detail.transcript!.events.some((e) => e.conn === "stdout") && whole.detail.transcript!.events.some((e) => e.conn === "c1"),
    "the transcript holds both the wire and the client's output",
  );
});
