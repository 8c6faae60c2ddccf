// The broken status servers, checked by broken-statuses-<topic>.test.ts.
import { check, inProcessTarget, tcpServer } from "../index.js";
import { brokenStatusServers, createBrokenStatusServer, type StatusDefects } from "../protocols/status/broken/servers.js";
import { bodyChecks } from "../protocols/status/checks/bodies.js";
import { codeChecks } from "../protocols/status/checks/codes.js";
import { headerChecks } from "../protocols/status/checks/headers.js";
import { methodChecks } from "../protocols/status/checks/methods.js";
import { sleepChecks } from "../protocols/status/checks/sleep.js";
import { testBrokenServers } from "./broken-catalogue.js";

/** The whole catalogue against a broken status server, with the kit's default seed: the same inputs every time. */
export const checkBrokenStatus = (name: string, defects: StatusDefects) =>
  check({
    protocol: "status",
    target: inProcessTarget(
      name,
      tcpServer(() => createBrokenStatusServer(defects)),
    ),
    runs: 20,
    shrinkTimeMs: 0,
  });

/** A test for each broken status server of the topic. */
export const testBrokenStatuses = (topic: "codes" | "bodies" | "headers" | "sleep" | "methods") =>
  testBrokenServers(
    {
      noun: "status server",
      servers: brokenStatusServers,
      topics: { codes: codeChecks, bodies: bodyChecks, headers: headerChecks, sleep: sleepChecks, methods: methodChecks },
      check: (broken) => checkBrokenStatus(broken.name, broken.defects),
      jobs: 3,
    },
    topic,
  );
