// The examples' broken servers each fail the rules they declare, and only those: the checks of a protocol
// of your own are tested as the built-in ones are.
import { existsSync } from "node:fs";
import path from "node:path";
import { pathToFileURL } from "node:url";
import t from "tap";
import { packageRoot } from "../spec/paths.js";
import { checked, examples, protocolFolders, type BrokenExample } from "./examples.js";
import { expectUnmetExactly } from "./helpers.js";

for (const folder of protocolFolders(examples)) {
  const name = path.relative(packageRoot, folder);
  const brokenFile = path.join(folder, "broken.js");
  if (!existsSync(brokenFile)) continue;
  t.test(`${name}: each broken server fails the rules it declares, and only those`, async (t) => {
    const { brokenServers } = (await import(pathToFileURL(brokenFile).href)) as { brokenServers: BrokenExample[] };
    for (const broken of brokenServers) {
      t.test(`${broken.name}: ${broken.why}`, async (t) => {
        const report = await checked(t, folder, ["--runs", "12", "--shrink-time", "1000", "--spawn", `"${process.execPath}" "${brokenFile}" ${broken.name}`]);
        expectUnmetExactly(t, report, { fails: broken.fails });
      });
    }
  });
}
