// The broken capitalizers of the quota and of the shutdown request.
import { brokenCapitalizers } from "./broken.js";
import { testBrokenServers } from "../../support/broken-catalogue.js";

for (const topic of ["quota", "shutdown"]) await testBrokenServers(brokenCapitalizers, topic);
