// The topics whose broken capitalizers are few; replies and the quota with the shutdown have files of their own.
import { brokenCapitalizers } from "./broken.js";
import { testBrokenServers } from "../../support/broken-catalogue.js";

for (const topic of ["connections", "malformed"]) await testBrokenServers(brokenCapitalizers, topic);
