// The topics whose broken status servers are few; codes and sleep have files of their own.
import { brokenStatusServers } from "./broken.js";
import { testBrokenServers } from "../../support/broken-catalogue.js";

for (const topic of ["bodies", "connections", "headers", "methods"]) await testBrokenServers(brokenStatusServers, topic);
