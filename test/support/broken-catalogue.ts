// A protocol's broken servers proven as `sockspec prove` proves them (conformance/prove.ts), one topic of
// its checks at a time: a file per topic or two keeps each well under tap's timeout on a loaded machine.
import type { Test } from "tap";
import t from "tap";
import { proveServer, proven, type ProveOptions } from "../../conformance/prove.js";
import type { ProvingServer } from "../../protocols/protocol-module.js";
import { builtInProtocol } from "../../protocols/registry.js";
import { expectUnmetExactly } from "./helpers.js";

/** How a test suite proves a protocol's broken servers. */
export interface BrokenCatalogue {
  protocol: string;
  /** The protocol's checks by topic, as its checks/ folder splits them. */
  topics: Readonly<Record<string, ReadonlyArray<{ id: string }>>>;
  /** Each broken server's check: a small budget, timeouts with room for a loaded machine, no shrinking. */
  options: ProveOptions;
  /**
   * Rules too costly to check against every broken server (they start a process per run): checked only
   * against the broken servers that declare them, and proven met by the reference's own tests.
   */
  onlyWhereDeclared?: readonly string[];
  /** How many broken servers are proven at once: each mostly waits on its servers. */
  jobs: number;
}

/** Proves one broken server in a test: it leaves unmet exactly the rules it declares, each saying why. */
export async function proveBroken(t: Test, catalogue: BrokenCatalogue, server: ProvingServer): Promise<void> {
  const declared = new Set([...server.fails, ...(server.warns ?? []), ...(server.leavesUnchecked ?? [])]);
  const exclude = (catalogue.onlyWhereDeclared ?? []).filter((id) => !declared.has(id));
  const proof = await proveServer(builtInProtocol(catalogue.protocol), server, { ...catalogue.options, exclude });
  expectUnmetExactly(t, proof.report, server, server.leavesUnchecked ?? []);
  t.ok(proven(proof), `sockspec prove would say PROVEN (missed: ${proof.missed.join(", ") || "none"}; extra: ${proof.extra.join(", ") || "none"})`);
}

/**
 * Registers a test for each broken server of the topic. A server belongs to the topic whose checks own the
 * first rule it breaks; one that no topic owns is an error at load, or no file would test it.
 */
export async function testBrokenServers(catalogue: BrokenCatalogue, topic: string): Promise<void> {
  if (!(topic in catalogue.topics)) throw new Error(`no topic ${topic}: ${Object.keys(catalogue.topics).join(", ")}`);
  const topicOf = (server: ProvingServer) => {
    const first = server.fails[0] ?? server.warns?.[0];
    const owner = Object.keys(catalogue.topics).find((name) => catalogue.topics[name]!.some((check) => check.id === first));
    if (!owner) throw new Error(`the broken ${catalogue.protocol} server with ${server.name} breaks no rule of any topic`);
    return owner;
  };
  const servers = (await builtInProtocol(catalogue.protocol).broken!()).filter((server) => topicOf(server) === topic);
  t.jobs = catalogue.jobs;
  for (const server of servers)
    t.test(`catches a ${catalogue.protocol} server with ${server.name}, and nothing else`, (t) => proveBroken(t, catalogue, server));
}
