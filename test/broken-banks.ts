// The broken-bank catalogue, checked one topic of the bank's checks per test file, so that no file comes near
// tap's timeout on a loaded machine.
import path from "node:path";
import t from "tap";
import { check, inProcessTarget, spawnTarget, udpServer, type Target } from "../index.js";
import { packageRoot } from "../spec/paths.js";
import { brokenBankLimits, brokenBanks, createBrokenBank, type BankDefects } from "../protocols/bank/broken/servers.js";
import { challengeChecks } from "../protocols/bank/checks/challenge.js";
import { malformedInputChecks } from "../protocols/bank/checks/malformed.js";
import { operationChecks } from "../protocols/bank/checks/operations.js";
import { persistenceChecks } from "../protocols/bank/checks/persistence.js";
import { expectUnmetExactly } from "./helpers.js";

const topics = { operations: operationChecks, challenge: challengeChecks, malformed: malformedInputChecks, persistence: persistenceChecks };
export type Topic = keyof typeof topics;

/** The topic whose checks own the first rule a broken bank breaks; every broken bank has one, or no file would test it. */
function topicOf(broken: (typeof brokenBanks)[number]): Topic {
  const first = broken.fails[0] ?? broken.warns?.[0];
  const topic = (Object.keys(topics) as Topic[]).find((name) => topics[name].some((check) => check.id === first));
  if (!topic) throw new Error(`broken bank "${broken.name}" breaks no rule of any topic`);
  return topic;
}
const byTopic = new Map(brokenBanks.map((broken) => [broken, topicOf(broken)]));

/** The command that runs a broken bank as a process of its own, for the servers a check kills. */
export const brokenBankCommand = (defects: BankDefects) =>
  `node ${path.join(packageRoot, "dist", "protocols", "bank", "broken", "process.js")} '${JSON.stringify(defects)}'`;

/**
 * A broken bank as a target: its servers run in this process, except those a check kills (BANK-CRASH-DURABLE),
 * which run as processes of their own when it is `killable`; otherwise that rule is skipped.
 */
function brokenBankTarget(name: string, defects: BankDefects, killable: boolean): Target {
  const inProcess = inProcessTarget(
    name,
    udpServer((workdir) => createBrokenBank(workdir, defects)),
  );
  if (!killable) return inProcess;
  const processes = spawnTarget(brokenBankCommand(defects), { host: "127.0.0.1", transport: "udp" });
  return { ...inProcess, killable: true, start: (options = {}) => (options.process ? processes.start(options) : inProcess.start(options)) };
}

/**
 * The whole catalogue against a broken bank, with the kit's default seed: the same inputs every time. A reply
 * timeout of a second leaves room for a loaded machine.
 */
export const checkBrokenBank = (name: string, defects: BankDefects, killable: boolean) =>
  check({
    protocol: "bank",
    target: brokenBankTarget(name, defects, killable),
    runs: 30,
    limits: brokenBankLimits,
    timeouts: { replyMs: 1000 },
    shrinkTimeMs: 0,
  });

/** A test for each broken bank of the topic: it fails exactly the rules it declares. */
export function testBrokenBanks(topic: Topic): void {
  // Each check mostly waits on its servers: two at a time halve the file's time.
  t.jobs = 2;
  for (const broken of brokenBanks.filter((b) => byTopic.get(b) === topic)) {
    t.test(`catches a bank server with ${broken.name}, and nothing else`, async (t) => {
      const killable = broken.killable === true;
      expectUnmetExactly(t, await checkBrokenBank(broken.name, broken.defects, killable), broken, killable ? [] : ["BANK-CRASH-DURABLE"]);
    });
  }
}
