// The capitalizer's broken clients the protocol declares (clientChecks.broken()), proven as `sockspec prove capitalizer` proves them:
// each trips exactly its client rules, and every client rule is tripped by one.
import path from "node:path";
import t from "tap";
import { proveClient, proven, uncoveredClientRules } from "../../../conformance/prove.js";
import { builtInProtocol } from "../../../protocols/registry.js";
import { packageRoot } from "../../../spec/paths.js";
import { expectUnmetExactly } from "../../support/helpers.js";

const capitalizer = builtInProtocol("capitalizer");
const clients = await capitalizer.clientChecks!.broken!();
const options = { runs: 10, jobs: 7, shrinkTimeMs: 0 };
t.jobs = 3;

t.test("without a defect, the broken client's skeleton meets every client rule", async (t) => {
  const skeleton = path.join(packageRoot, "dist", "protocols", "capitalizer", "client", "broken-client.js");
  const proof = await proveClient(capitalizer, { name: "no defect", fails: [], command: `"${process.execPath}" "${skeleton}"` }, options);
  expectUnmetExactly(t, proof.report, { fails: [] });
});

for (const client of clients)
  t.test(`a client with the defect ${client.name} trips ${client.fails.join(", ")}, and only it`, async (t) => {
    const proof = await proveClient(capitalizer, client, options);
    expectUnmetExactly(t, proof.report, client);
    t.ok(proven(proof), "sockspec prove would say PROVEN");
  });

t.test("every client rule has a broken client that trips it", (t) => {
  t.same(uncoveredClientRules(capitalizer, clients), []);
  t.end();
});
