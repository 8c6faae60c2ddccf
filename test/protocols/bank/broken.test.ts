// The topics whose broken banks are few; operations and persistence have files of their own.
import { brokenBanks } from "./broken.js";
import { testBrokenServers } from "../../support/broken-catalogue.js";

for (const topic of ["challenge", "malformed"]) await testBrokenServers(brokenBanks, topic);
