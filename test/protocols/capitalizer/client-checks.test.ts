// The capitalizer's reference client against every client rule (the kit playing the server).
import t from "tap";
import { checkClient } from "../../../conformance/client/client-runner.js";
import { builtInProtocol } from "../../../protocols/registry.js";
import type { CapitalizerClientRuleId } from "../../../protocols/capitalizer/spec/rule-ids.js";
import { assertValid } from "../../../spec/validator.js";
import { cliPath, expectVerdict } from "../../support/helpers.js";

const capitalizer = builtInProtocol("capitalizer");

t.test("the reference client meets every client rule", async (t) => {
  const report = await checkClient({ protocol: capitalizer, spawn: `${process.execPath} ${cliPath} client capitalizer --port {port}`, runs: 30, jobs: 7 });
  assertValid("report.schema.json", report, "the report");
  expectVerdict<CapitalizerClientRuleId>(t, report, {});
  t.equal(report.rules.length, capitalizer.spec.clientRules!.length, "every client rule checked");
});
