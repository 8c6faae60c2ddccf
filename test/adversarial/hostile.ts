import { readFile } from "node:fs/promises";
import path from "node:path";
import type { Test } from "tap";
import { packageRoot } from "../../spec/paths.js";
import { assertValid } from "../../spec/validator.js";
import { cliPath, runProgram } from "../support/helpers.js";
import type { HostileKind } from "./hostile/servers.js";
import type { Report } from "../../conformance/report.js";

/** The runner's peak RSS against any hostile server: an unbounded read would take gigabytes. */
const MAX_RSS_MIB = 400;

const serve = path.join(packageRoot, "dist", "test", "adversarial", "hostile", "serve.js");
const protocols: Record<string, string> = { tcp: "capitalizer", udp: "bank", http: "status" };

/** Runs the CLI with a `--reporter json --out` report, and measures its peak memory from inside. */
function checkMeasured(args: string[]) {
  const measured = `process.argv.splice(1, 0, "sockspec"); process.on("exit", () => process.stderr.write("maxRSS " + process.resourceUsage().maxRSS + "\\n")); await import(${JSON.stringify(cliPath)});`;
  return runProgram(process.execPath, ["--input-type=module", "-e", measured, ...args]);
}

/**
 * Checks a hostile server with the full catalogue of its protocol: the runner must end, with a valid report
 * in its file and a verdict that is not OK, in bounded memory. What a run keeps is bounded by the kit's caps; the peak
 * RSS is mostly garbage V8 has not collected yet, so the bound asserted here is loose.
 */
export async function survives(t: Test, kind: HostileKind, protocol = protocols[kind.split("-")[0]!]!): Promise<Report> {
  const out = path.join(t.testdir(), "report.json");
  const started = performance.now();
  // The capitalizer's limits shortened, so that no rule waits out the spec's minute.
  const limits = protocol === "capitalizer" ? ["--limit", "idleTimeoutMs=1000", "--limit", "maxConnections=16", "--limit", "maxConnectionsPerAddress=12"] : [];
  const spawn = `"${process.execPath}" "${serve}" ${kind}`;
  // Survival is the point, not counterexamples: one run per rule, no shrinking.
  const options = ["--runs", "1", "--timeout", "500", "--shrink-time", "0", "--reporter", "json", "--out", out];
  const result = await checkMeasured(["check", protocol, "--spawn", spawn, ...limits, ...options]);
  const seconds = (performance.now() - started) / 1000;
  t.equal(result.code, 1, `not conformant, and said so: ${result.stderr.split("\n")[0]}`);
  const report = JSON.parse(await readFile(out, "utf8")) as Report;
  assertValid("report.schema.json", report, "the report");
  t.notOk(report.summary.ok, "not conformant");
  const maxRssMiB = Number(/maxRSS (\d+)/.exec(result.stderr)?.[1]) / 1024;
  t.ok(maxRssMiB < MAX_RSS_MIB, `peak memory ${maxRssMiB.toFixed(0)} MiB, under ${MAX_RSS_MIB} MiB`);
  t.ok(seconds < 60, `finished in ${seconds.toFixed(1)} s`);
  for (const rule of report.rules) t.ok((rule.detail.actual ?? "").length < 2000, `${rule.id}: what it observed is told briefly`);
  return report;
}
