// The topics whose broken banks are few; operations and persistence have files of their own.
import { testBrokenBanks } from "./broken.js";

for (const topic of ["challenge", "malformed"] as const) testBrokenBanks(topic);
