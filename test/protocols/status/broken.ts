// How the status protocol's broken servers are proven in the tests (test/support/broken-catalogue.ts).
import { statusCheckTopics } from "../../../protocols/status/checks/checks.js";
import type { BrokenCatalogue } from "../../support/broken-catalogue.js";

/** The kit's default seed, so the same inputs every time. */
export const brokenStatusServers: BrokenCatalogue = {
  protocol: "status",
  topics: statusCheckTopics,
  options: { runs: 20, shrinkTimeMs: 0 },
  jobs: 3,
};
