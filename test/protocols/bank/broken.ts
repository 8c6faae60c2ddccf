// The broken banks, checked by broken-banks-<topic>.test.ts.
import path from "node:path";
import { check, inProcessTarget, spawnTarget, udpServer, type Target } from "../../../index.js";
import { packageRoot } from "../../../spec/paths.js";
import { brokenBankLimits, brokenBanks, createBrokenBank, type BankDefects } from "../../../protocols/bank/broken/servers.js";
import { bankCheckTopics } from "../../../protocols/bank/checks/checks.js";
import { testBrokenServers } from "../../support/broken-catalogue.js";

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

/** A test for each broken bank of the topic. */
export const testBrokenBanks = (topic: keyof typeof bankCheckTopics) =>
  testBrokenServers(
    {
      noun: "bank server",
      servers: brokenBanks,
      topics: bankCheckTopics,
      check: (broken) => checkBrokenBank(broken.name, broken.defects, broken.killable === true),
      skipped: (broken) => (broken.killable ? [] : ["BANK-CRASH-DURABLE"]),
      jobs: 2,
    },
    topic,
  );
