// The topics whose broken capitalizers are few; replies, the largest, has a file of its own.
import { testBrokenCapitalizers } from "./broken.js";

for (const topic of ["connections", "hostile", "quota", "shutdown"] as const) testBrokenCapitalizers(topic);
