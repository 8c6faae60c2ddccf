import path from "node:path";
import t from "tap";
import { checkClient } from "../../../conformance/client/client-runner.js";
import { runPool } from "../../../conformance/pool.js";
import type { Report } from "../../../conformance/report.js";
import { BANK_CLIENT_DEFECTS } from "../../../protocols/bank/client/defects.js";
import { builtInProtocol } from "../../../protocols/registry.js";
import { packageRoot } from "../../../spec/paths.js";
import { expectUnmetExactly } from "../../support/helpers.js";

const bank = builtInProtocol("bank");
const brokenClient = path.join(packageRoot, "dist", "protocols", "bank", "client", "broken-client.js");
const defects = ["", ...Object.keys(BANK_CLIENT_DEFECTS)];
const reports = new Map<string, Report>();

// Every check waits out a lost reply (the client's own timeout and a margin) for BANKC-LOST-REPLY and
// BANKC-NO-RESEND, mostly idle: three at a time keep the file short without loading the machine.
t.before(() =>
  runPool(defects, 3, async (defect) => {
    reports.set(defect, await checkClient({ protocol: bank, spawn: `${process.execPath} ${brokenClient} ${defect}`, runs: 10, jobs: 6, shrinkTimeMs: 0 }));
  }),
);

t.test("without a defect, the broken client's skeleton meets every client rule", async (t) => {
  expectUnmetExactly(t, reports.get("")!, { fails: [] });
});

for (const [defect, rule] of Object.entries(BANK_CLIENT_DEFECTS))
  t.test(`a client with the defect ${defect} trips ${rule}, and only it`, async (t) => {
    expectUnmetExactly(t, reports.get(defect)!, { fails: [rule] });
  });

t.test("every client rule has a broken client that trips it", (t) => {
  t.same(Object.values(BANK_CLIENT_DEFECTS).sort(), bank.spec.clientRules!.map((r) => r.id).sort());
  t.end();
});
