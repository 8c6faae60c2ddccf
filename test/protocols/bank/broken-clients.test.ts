// The bank's broken clients the protocol declares (clientChecks.broken()), proven as `sockspec prove bank` proves them:
// each trips exactly its client rules, and every client rule is tripped by one.
import path from "node:path";
import t from "tap";
import { proveClient, proven, uncoveredClientRules } from "../../../conformance/prove.js";
import { builtInProtocol } from "../../../protocols/registry.js";
import { packageRoot } from "../../../spec/paths.js";
import { expectUnmetExactly } from "../../support/helpers.js";

const bank = builtInProtocol("bank");
const clients = await bank.clientChecks!.broken!();
const options = { runs: 10, jobs: 6, shrinkTimeMs: 0 };
// Every check waits out a lost reply (the client's own timeout and a margin) for BANKC-LOST-REPLY and
// BANKC-NO-RESEND, mostly idle: three at a time keep the file short without loading the machine.
t.jobs = 3;

t.test("without a defect, the broken client's skeleton meets every client rule", async (t) => {
  const skeleton = path.join(packageRoot, "dist", "protocols", "bank", "client", "broken-client.js");
  const proof = await proveClient(bank, { name: "no defect", fails: [], command: `"${process.execPath}" "${skeleton}"` }, options);
  expectUnmetExactly(t, proof.report, { fails: [] });
});

for (const client of clients)
  t.test(`a client with the defect ${client.name} trips ${client.fails.join(", ")}, and only it`, async (t) => {
    const proof = await proveClient(bank, client, options);
    expectUnmetExactly(t, proof.report, client);
    t.ok(proven(proof), "sockspec prove would say PROVEN");
  });

t.test("every client rule has a broken client that trips it", (t) => {
  t.same(uncoveredClientRules(bank, clients), []);
  t.end();
});
