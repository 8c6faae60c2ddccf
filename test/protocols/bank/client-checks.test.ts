// The bank's reference client against every client rule (the kit playing the server).
import t from "tap";
import { checkClient } from "../../../conformance/client/client-runner.js";
import { builtInProtocol } from "../../../protocols/registry.js";
import type { BankClientRuleId } from "../../../protocols/bank/spec/rule-ids.js";
import { assertValid } from "../../../spec/validator.js";
import { cliPath, expectVerdict } from "../../support/helpers.js";

const bank = builtInProtocol("bank");

t.test("the reference client meets every client rule", async (t) => {
  const report = await checkClient({ protocol: bank, spawn: `${process.execPath} ${cliPath} client bank --port {port}`, runs: 30, jobs: 6 });
  assertValid("report.schema.json", report, "the report");
  expectVerdict<BankClientRuleId>(t, report, {});
  t.equal(report.rules.length, bank.spec.clientRules!.length, "every client rule checked");
});
