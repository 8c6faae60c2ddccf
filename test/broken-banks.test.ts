import path from "node:path";
import t from "tap";
import { check, inProcessTarget, spawnTarget, udpServer, type Target } from "../index.js";
import { packageRoot } from "../spec/paths.js";
import { brokenBankLimits, brokenBanks, createBrokenBank, type BankDefects } from "../protocols/bank/broken/servers.js";
import { expectUnmetExactly } from "./helpers.js";

// Each check mostly waits on its servers: two at a time halve the file's time.
t.jobs = 2;

t.test("the crash test catches a bank that rewrites its file in place", async (t) => {
  const command = `node ${path.join(packageRoot, "dist", "protocols", "bank", "broken", "process.js")} '${JSON.stringify({ writesInPlace: true })}'`;
  const target = spawnTarget(command, { host: "127.0.0.1", transport: "udp" });
  const report = await check({ protocol: "bank", target, only: ["BANK-CRASH-DURABLE"], runs: 30, shrinkTimeMs: 0 });
  const [rule] = report.rules;
  t.equal(rule!.outcome, "fail");
  // Seen empty after a kill, or while the file was being rewritten, whichever came first.
  t.match(rule!.detail.expected, /^the data file in the legacy format (after a kill|at every moment)/);
  t.match(rule!.detail.actual, /^(it held )?""/, "the file was found empty");
});

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
  const command = `node ${path.join(packageRoot, "dist", "protocols", "bank", "broken", "process.js")} '${JSON.stringify(defects)}'`;
  const processes = spawnTarget(command, { host: "127.0.0.1", transport: "udp" });
  return { ...inProcess, killable: true, start: (options = {}) => (options.process ? processes.start(options) : inProcess.start(options)) };
}

/**
 * The whole catalogue against a broken bank, with the kit's default seed: the same inputs every time. A reply
 * timeout of a second leaves room for a loaded machine.
 */
const checkBrokenBank = (name: string, defects: BankDefects, killable: boolean) =>
  check({
    protocol: "bank",
    target: brokenBankTarget(name, defects, killable),
    runs: 30,
    limits: brokenBankLimits,
    timeouts: { replyMs: 1000 },
    shrinkTimeMs: 0,
  });

for (const broken of brokenBanks) {
  t.test(`catches a bank server with ${broken.name}, and nothing else`, async (t) => {
    const killable = broken.killable === true;
    expectUnmetExactly(t, await checkBrokenBank(broken.name, broken.defects, killable), broken, killable ? [] : ["BANK-CRASH-DURABLE"]);
  });
}

t.test("a bank server with no defects passes every rule, the crash test too (its killed servers run as processes of their own)", async (t) => {
  expectUnmetExactly(t, await checkBrokenBank("no defects", {}, true), { fails: [] });
});
