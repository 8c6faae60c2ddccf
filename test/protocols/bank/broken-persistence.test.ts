import t from "tap";
import { check, spawnTarget } from "../../../index.js";
import { provingBank } from "../../../protocols/bank/broken/proving.js";
import { brokenBanks } from "./broken.js";
import { testBrokenServers } from "../../support/broken-catalogue.js";

await testBrokenServers(brokenBanks, "persistence");

t.test("the crash test catches a bank that rewrites its file in place", async (t) => {
  const { command } = provingBank({ name: "in place", defects: { writesInPlace: true }, fails: [] });
  const target = spawnTarget(command!, { host: "127.0.0.1", transport: "udp" });
  const report = await check({ protocol: "bank", target, only: ["BANK-CRASH-DURABLE"], runs: 30, shrinkTimeMs: 0 });
  const [rule] = report.rules;
  t.equal(rule!.outcome, "fail");
  // Seen empty after a kill, or while the file was being rewritten, whichever came first.
  t.match(rule!.detail.expected, /^the data file in the original's format (after a kill|at every moment)/);
  t.match(rule!.detail.actual, /^(it held )?""/, "the file was found empty");
});
