import t from "tap";
import { check, inProcessTarget, tcpServer } from "../../../index.js";
import { createBrokenStatusServer } from "../../../protocols/status/broken/servers.js";
import { brokenStatusServers } from "./broken.js";
import { testBrokenServers } from "../../support/broken-catalogue.js";

await testBrokenServers(brokenStatusServers, "sleep");

t.test("a server that ignores a sleep, though every answer comes 200 ms late as on a loaded machine, fails STATUS-SLEEP", async (t) => {
  const late = inProcessTarget(
    "late",
    tcpServer(() => createBrokenStatusServer({ noSleep: true, lateMs: 200 })),
  );
  const [rule] = (await check({ protocol: "status", target: late, only: ["STATUS-SLEEP"], runs: 30, shrinkTimeMs: 0 })).rules;
  t.equal(rule!.outcome, "fail", rule!.detail.message);
  t.match(rule!.detail.expected, /^the answer no sooner than \d+ ms$/);
});
