import t from "tap";
import { provingBank } from "../../../protocols/bank/broken/proving.js";
import { brokenBanks } from "./broken.js";
import { proveBroken, testBrokenServers } from "../../support/broken-catalogue.js";

await testBrokenServers(brokenBanks, "operations");

t.test("a bank server with no defects passes every rule, the crash test too (its killed servers run as processes of their own)", async (t) => {
  // The crash test too, which the catalogue checks only where a broken bank declares it.
  await proveBroken(t, { ...brokenBanks, onlyWhereDeclared: [] }, provingBank({ name: "no defects", defects: {}, fails: [] }));
});
