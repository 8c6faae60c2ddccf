// The protocols of your own under examples/, found by their folders (every one with a spec/protocol.json),
// so that adding one touches nothing outside it; test/examples-*.test.ts check them as a user would.
import { existsSync, readdirSync } from "node:fs";
import path from "node:path";
import type { Test } from "tap";
import type { Report } from "../../conformance/report.js";
import { packageRoot } from "../../spec/paths.js";
import { runCli } from "../support/helpers.js";

export const examples = path.join(packageRoot, "examples");

/** Folders under `dir` that hold a protocol: a spec/protocol.json of their own. */
export function protocolFolders(dir: string): string[] {
  const found = existsSync(path.join(dir, "spec", "protocol.json")) ? [dir] : [];
  for (const entry of readdirSync(dir, { withFileTypes: true }))
    if (entry.isDirectory() && entry.name !== "spec" && entry.name !== "node_modules") found.push(...protocolFolders(path.join(dir, entry.name)));
  return found;
}

export interface BrokenExample {
  name: string;
  why: string;
  fails: string[];
}

/** A check of the protocol in `folder` with these arguments, as its JSON report. */
export async function checked(t: Test, folder: string, args: string[]): Promise<Report> {
  const result = await runCli(["check", "--protocol", folder, "--reporter", "json", ...args]);
  t.ok(result.code === 0 || result.code === 1, `the check ran (exit ${result.code}): ${result.stderr}`);
  return JSON.parse(result.stdout) as Report;
}

/** The rules a report did not pass, each with why: none, for a correct server. */
export const notPassing = (report: Report) => report.rules.filter((r) => r.outcome !== "pass").map((r) => `${r.id} ${r.outcome}: ${r.detail.message}`);
