import path from "node:path";
import t from "tap";
import { checkClient } from "../conformance/client/client-runner.js";
import { builtInProtocol } from "../protocols/registry.js";
import type { CapitalizerClientRuleId } from "../protocols/capitalizer/spec/rule-ids.js";
import { assertValid } from "../spec/validator.js";
import { cliPath, expectBaseline, expectVerdict, originalsDir, originalsSkipReason, python } from "./helpers.js";

const capitalizer = builtInProtocol("capitalizer");

t.test("the reference client meets every client rule", async (t) => {
  const report = await checkClient({ protocol: capitalizer, spawn: `${process.execPath} ${cliPath} client capitalizer --port {port}`, runs: 30, jobs: 7 });
  assertValid("report.schema.json", report, "the report");
  expectVerdict<CapitalizerClientRuleId>(t, report, {});
  t.equal(report.rules.length, capitalizer.spec.clientRules!.length, "every client rule checked");
});

t.test("the original tcpclient.py: its true verdict rule by rule, as its baseline says", { skip: originalsSkipReason() }, async (t) => {
  const started = performance.now();
  const report = await checkClient({ protocol: capitalizer, spawn: `${python()} ${path.join(originalsDir, "tcpclient.py")}` });
  t.comment(`a full default client check of the original took ${Math.round(performance.now() - started)} ms`);
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
