import path from "node:path";
import t from "tap";
import { checkClient } from "../../../conformance/client/client-runner.js";
import { CLIENT_DEFECTS } from "../../../protocols/capitalizer/client/defects.js";
import { builtInProtocol } from "../../../protocols/registry.js";
import { packageRoot } from "../../../spec/paths.js";
import { expectUnmetExactly } from "../../support/helpers.js";

const capitalizer = builtInProtocol("capitalizer");
const brokenClient = path.join(packageRoot, "dist", "protocols", "capitalizer", "client", "broken-client.js");
const clientCheck = (defect: string) =>
  checkClient({ protocol: capitalizer, spawn: `${process.execPath} ${brokenClient} ${defect}`, runs: 10, jobs: 7, shrinkTimeMs: 0 });

t.test("without a defect, the broken client's skeleton meets every client rule", async (t) => {
  expectUnmetExactly(t, await clientCheck(""), { fails: [] });
});

for (const [defect, rule] of Object.entries(CLIENT_DEFECTS))
  t.test(`a client with the defect ${defect} trips ${rule}, and only it`, async (t) => {
    expectUnmetExactly(t, await clientCheck(defect), { fails: [rule] });
  });

t.test("every client rule has a broken client that trips it", (t) => {
  t.same(Object.values(CLIENT_DEFECTS).sort(), capitalizer.spec.clientRules!.map((r) => r.id).sort());
  t.end();
});
