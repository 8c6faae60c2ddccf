// How the capitalizer's broken servers are proven in the tests (test/support/broken-catalogue.ts).
import { capitalizerCheckTopics } from "../../../protocols/capitalizer/checks/checks.js";
import type { BrokenCatalogue } from "../../support/broken-catalogue.js";

/** The kit's default seed, so the same inputs every time; a reply timeout of half a second leaves room for a loaded machine. */
export const brokenCapitalizers: BrokenCatalogue = {
  protocol: "capitalizer",
  topics: capitalizerCheckTopics,
  options: { runs: 10, timeouts: { replyMs: 500, settleMs: 50 }, shrinkTimeMs: 0 },
  jobs: 2,
};
