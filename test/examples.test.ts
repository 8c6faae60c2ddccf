// The protocols of your own under examples/, checked from their folders as a user would (docs/tutorial.md):
// every folder with a spec/protocol.json is found, so that adding one touches nothing outside it.
import { existsSync, readdirSync } from "node:fs";
import path from "node:path";
import { pathToFileURL } from "node:url";
import t, { type Test } from "tap";
import type { Report } from "../conformance/report.js";
import { packageRoot } from "../spec/paths.js";
import { cliPath, expectUnmetExactly, runCli, runProgram } from "./helpers.js";

const examples = path.join(packageRoot, "examples");

/** Folders under `dir` that hold a protocol: a spec/protocol.json of their own. */
function protocolFolders(dir: string): string[] {
  const found = existsSync(path.join(dir, "spec", "protocol.json")) ? [dir] : [];
  for (const entry of readdirSync(dir, { withFileTypes: true }))
    if (entry.isDirectory() && entry.name !== "spec" && entry.name !== "node_modules") found.push(...protocolFolders(path.join(dir, entry.name)));
  return found;
}

interface BrokenExample {
  name: string;
  why: string;
  fails: string[];
}

/** A check of the protocol in `folder` with these arguments, as its JSON report. */
async function checked(t: Test, folder: string, args: string[]): Promise<Report> {
  const result = await runCli(["check", "--protocol", folder, "--reporter", "json", ...args]);
  t.ok(result.code === 0 || result.code === 1, `the check ran (exit ${result.code}): ${result.stderr}`);
  return JSON.parse(result.stdout) as Report;
}

const folders = protocolFolders(examples);

t.test("the examples' JavaScript type-checks against the kit's types", async (t) => {
  t.ok(folders.length > 0, "there are examples");
  const tsc = path.join(packageRoot, "node_modules", "typescript", "bin", "tsc");
  const result = await runProgram(process.execPath, [tsc, "-p", examples]);
  t.equal(result.code, 0, result.stdout + result.stderr);
});

for (const folder of folders) {
  const name = path.relative(packageRoot, folder);

  t.test(`${name}: its reference passes every rule, in process and under sockspec serve --protocol`, async (t) => {
    const inProcess = await checked(t, folder, []);
    t.ok(inProcess.rules.length > 0, "it has rules");
    t.same(
      inProcess.rules.filter((r) => r.outcome !== "pass").map((r) => `${r.id} ${r.outcome}: ${r.detail.message}`),
      [],
    );
    const served = await checked(t, folder, [
      "--runs",
      "12",
      "--spawn",
      `"${process.execPath}" "${cliPath}" serve --protocol "${folder}" --host {host} --port {port}`,
    ]);
    t.same(
      served.rules.filter((r) => r.outcome !== "pass").map((r) => `${r.id} ${r.outcome}: ${r.detail.message}`),
      [],
    );
  });

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
