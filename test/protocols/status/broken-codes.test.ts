import t from "tap";
import { provingStatusServer } from "../../../protocols/status/broken/proving.js";
import { brokenStatusServers } from "./broken.js";
import { proveBroken, testBrokenServers } from "../../support/broken-catalogue.js";

await testBrokenServers(brokenStatusServers, "codes");

t.test("a status server with no defects passes (the broken servers differ from it only by their defects)", async (t) => {
  await proveBroken(t, brokenStatusServers, provingStatusServer({ name: "no defects", defects: {}, fails: [] }));
});
