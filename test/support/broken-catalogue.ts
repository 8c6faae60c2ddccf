// A protocol's broken-server catalogue, checked one topic of its checks per test file
// (broken-<protocol>-<topic>.test.ts): no file comes near tap's timeout on a loaded machine, and the
// catalogues, the suite's heaviest work, sort first and so start first.
import t from "tap";
import type { BrokenServer } from "../../conformance/broken-server.js";
import type { Report } from "../../conformance/report.js";
import { expectUnmetExactly } from "./helpers.js";

export interface BrokenCatalogue<B extends BrokenServer<unknown>> {
  /** What a test calls one of the servers ("bank server"). */
  noun: string;
  servers: readonly B[];
  /** The protocol's checks by topic, as its checks/ folder splits them. */
  topics: Readonly<Record<string, ReadonlyArray<{ id: string }>>>;
  /** The whole catalogue against one broken server. */
  check: (broken: B) => Promise<Report>;
  /** Rules the check of a broken server must skip. */
  skipped?: (broken: B) => readonly string[];
  /** How many checks run at once: each mostly waits on its servers. */
  jobs: number;
}

/**
 * Registers a test for each broken server of the topic: it fails exactly the rules it declares. A server
 * belongs to the topic whose checks own the first rule it breaks; one that no topic owns is an error at
 * load, or no file would test it.
 */
export function testBrokenServers<B extends BrokenServer<unknown>>(catalogue: BrokenCatalogue<B>, topic: string): void {
  const topicOf = (broken: B) => {
    const first = broken.fails[0] ?? broken.warns?.[0];
    const owner = Object.keys(catalogue.topics).find((name) => catalogue.topics[name]!.some((check) => check.id === first));
    if (!owner) throw new Error(`the broken ${catalogue.noun} with ${broken.name} breaks no rule of any topic`);
    return owner;
  };
  if (!(topic in catalogue.topics)) throw new Error(`no topic ${topic}: ${Object.keys(catalogue.topics).join(", ")}`);
  t.jobs = catalogue.jobs;
  for (const broken of catalogue.servers.filter((server) => topicOf(server) === topic))
    t.test(`catches a ${catalogue.noun} with ${broken.name}, and nothing else`, async (t) => {
      const skipped = [...(catalogue.skipped?.(broken) ?? []), ...(broken.leavesUnchecked ?? [])];
      expectUnmetExactly(t, await catalogue.check(broken), broken, skipped);
    });
}
