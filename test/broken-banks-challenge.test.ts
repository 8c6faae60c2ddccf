import { testBrokenBanks } from "./broken-banks.js";

testBrokenBanks("challenge");
