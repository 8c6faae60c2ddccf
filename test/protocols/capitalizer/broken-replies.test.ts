import t from "tap";
import { checkBrokenCapitalizer, testBrokenCapitalizers } from "./broken.js";
import { expectUnmetExactly } from "../../support/helpers.js";

testBrokenCapitalizers("replies");

t.test("a server with no defects passes (the broken servers differ from it only by their defects)", async (t) => {
  expectUnmetExactly(t, await checkBrokenCapitalizer("no defects", {}), { fails: [] });
});
