import t from "tap";
import { checkBrokenBank, testBrokenBanks } from "./broken.js";
import { expectUnmetExactly } from "../../support/helpers.js";

testBrokenBanks("operations");

t.test("a bank server with no defects passes every rule, the crash test too (its killed servers run as processes of their own)", async (t) => {
  expectUnmetExactly(t, await checkBrokenBank("no defects", {}, true), { fails: [] });
});
