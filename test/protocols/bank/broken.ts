// How the bank's broken servers are proven in the tests (test/support/broken-catalogue.ts).
import { bankCheckTopics } from "../../../protocols/bank/checks/checks.js";
import type { BrokenCatalogue } from "../../support/broken-catalogue.js";

/** The kit's default seed, so the same inputs every time; a reply timeout of a second leaves room for a loaded machine. */
export const brokenBanks: BrokenCatalogue = {
  protocol: "bank",
  topics: bankCheckTopics,
  options: { runs: 30, timeouts: { replyMs: 1000 }, shrinkTimeMs: 0 },
  // It kills and restarts a process per run: proven where a broken bank breaks it, and by the reference otherwise.
  onlyWhereDeclared: ["BANK-CRASH-DURABLE"],
  jobs: 2,
};
