import t from "tap";
import { checkBrokenStatus, testBrokenStatuses } from "./broken.js";
import { expectUnmetExactly } from "../../support/helpers.js";

testBrokenStatuses("codes");

t.test("a status server with no defects passes (the broken servers differ from it only by their defects)", async (t) => {
  expectUnmetExactly(t, await checkBrokenStatus("no defects", {}), { fails: [] });
});
