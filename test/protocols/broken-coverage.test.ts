import t from "tap";
import { builtInProtocol } from "../../protocols/registry.js";
import { brokenBanks } from "../../protocols/bank/broken/servers.js";
import { unmetBy, type BrokenServer } from "../../conformance/broken-server.js";
import { brokenCapitalizers } from "../../protocols/capitalizer/broken/servers.js";
import { brokenStatusServers } from "../../protocols/status/broken/servers.js";

/**
 * The mutation suite's reach: for every rule of every catalogue, a broken server whose defect leaves that
 * rule unmet and every other rule met, so that each rule is shown to catch a defect of its own. What each
 * broken server leaves unmet is declared here and checked, rule by rule, by the broken-<protocol>-<topic>.test.ts
 * files (through test/broken-catalogue.ts).
 */
const brokenServers: Record<string, ReadonlyArray<BrokenServer<unknown>>> = {
  capitalizer: brokenCapitalizers,
  bank: brokenBanks,
  status: brokenStatusServers,
};

/** Whether a broken server leaves this rule unmet and every other met. */
const leavesAlone = (broken: BrokenServer<unknown>, id: string) => unmetBy(broken).length === 1 && unmetBy(broken)[0] === id;

for (const [protocol, servers] of Object.entries(brokenServers)) {
  const { rules } = builtInProtocol(protocol).spec;

  t.test(`${protocol}: every rule has a broken server that leaves that rule alone unmet`, async (t) => {
    for (const rule of rules) {
      const alone = servers.find((broken) => leavesAlone(broken, rule.id));
      const narrowest = servers.find((broken) => broken.notAlone?.rule === rule.id);
      if (alone) {
        t.pass(`${rule.id}: "${alone.name}" leaves it alone unmet`);
        t.notOk(narrowest, `${rule.id}: no broken server claims it cannot be left unmet alone`);
      } else if (narrowest && unmetBy(narrowest).includes(rule.id)) {
        t.pass(
          `${rule.id}: no defect leaves it alone unmet; the narrowest, "${narrowest.name}", with ${unmetBy(narrowest).join(", ")}: ${narrowest.notAlone!.why}`,
        );
      } else {
        t.fail(`${rule.id} has no broken server that leaves it alone unmet (nor one that says why none can)`);
      }
    }
  });

  t.test(`${protocol}: the broken servers name rules of the catalogue, each at its level`, async (t) => {
    const levelOf = new Map(rules.map((rule) => [rule.id, rule.level]));
    for (const broken of servers) {
      for (const id of broken.fails) t.equal(levelOf.get(id), "MUST", `"${broken.name}" fails ${id}, a MUST of the catalogue`);
      for (const id of broken.warns ?? []) t.equal(levelOf.get(id), "SHOULD", `"${broken.name}" breaks ${id}, a SHOULD of the catalogue`);
      t.equal(new Set(unmetBy(broken)).size, unmetBy(broken).length, `"${broken.name}" names each rule once`);
      t.ok(unmetBy(broken).length > 0, `"${broken.name}" leaves some rule unmet`);
    }
    t.equal(new Set(servers.map((broken) => broken.name)).size, servers.length, "each broken server has a name of its own");
  });
}
