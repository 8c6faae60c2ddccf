// The broken capitalizers, checked by broken-capitalizers-<topic>.test.ts.
import { check, inProcessTarget, tcpServer } from "../../../index.js";
import { brokenCapitalizerLimits, brokenCapitalizers, createBrokenCapitalizer, type Defects } from "../../../protocols/capitalizer/broken/servers.js";
import { capitalizerCheckTopics } from "../../../protocols/capitalizer/checks/checks.js";
import { testBrokenServers } from "../../support/broken-catalogue.js";

/**
 * The whole catalogue against a capitalizer with the given defects, with the kit's default seed: the same
 * inputs every time. A reply timeout of half a second leaves room for a loaded machine.
 */
export const checkBrokenCapitalizer = (name: string, defects: Defects) =>
  check({
    protocol: "capitalizer",
    target: inProcessTarget(
      name,
      tcpServer(() => createBrokenCapitalizer(defects)),
    ),
    runs: 10,
    timeouts: { replyMs: 500, settleMs: 50 },
    shrinkTimeMs: 0,
    limits: brokenCapitalizerLimits,
  });

/** A test for each broken capitalizer of the topic. */
export const testBrokenCapitalizers = (topic: keyof typeof capitalizerCheckTopics) =>
  testBrokenServers(
    {
      noun: "capitalizer",
      servers: brokenCapitalizers,
      topics: capitalizerCheckTopics,
      check: (broken) => checkBrokenCapitalizer(broken.name, broken.defects),
      jobs: 2,
    },
    topic,
  );
