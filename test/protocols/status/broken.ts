// The broken status servers, checked by broken-statuses-<topic>.test.ts.
import { check, inProcessTarget, tcpServer } from "../../../index.js";
import { brokenStatusServers, createBrokenStatusServer, type StatusDefects } from "../../../protocols/status/broken/servers.js";
import { statusCheckTopics } from "../../../protocols/status/checks/checks.js";
import { testBrokenServers } from "../../support/broken-catalogue.js";

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
export const testBrokenStatuses = (topic: keyof typeof statusCheckTopics) =>
  testBrokenServers(
    {
      noun: "status server",
      servers: brokenStatusServers,
      topics: statusCheckTopics,
      check: (broken) => checkBrokenStatus(broken.name, broken.defects),
      jobs: 3,
    },
    topic,
  );
