// The topics whose broken status servers are few; codes and sleep have files of their own.
import { testBrokenStatuses } from "./broken.js";

for (const topic of ["bodies", "connections", "headers", "methods"] as const) testBrokenStatuses(topic);
