import t from "tap";
import { provingCapitalizer } from "../../../protocols/capitalizer/broken/proving.js";
import { brokenCapitalizers } from "./broken.js";
import { proveBroken, testBrokenServers } from "../../support/broken-catalogue.js";

await testBrokenServers(brokenCapitalizers, "replies");

t.test("a server with no defects passes (the broken servers differ from it only by their defects)", async (t) => {
  await proveBroken(t, brokenCapitalizers, provingCapitalizer({ name: "no defects", defects: {}, fails: [] }));
});
