import { execFileSync, spawn, type ChildProcess, type ChildProcessWithoutNullStreams, type SpawnOptions } from "node:child_process";
import { existsSync } from "node:fs";
import { readdir, readFile } from "node:fs/promises";
import path from "node:path";
import { setTimeout as delay } from "node:timers/promises";
import type { Test } from "tap";
import { compareBaseline, loadBaseline } from "../../conformance/baseline.js";
import { isUnmet, type Outcome, type Report } from "../../conformance/report.js";
import { packageRoot } from "../../spec/paths.js";
import { referenceTarget } from "../../conformance/reference-target.js";
import { builtInProtocol } from "../../protocols/registry.js";
import { killSpawnedServersOnSignals } from "../../conformance/spawn.js";
import { unwatch, watch } from "../../conformance/watchdog.js";

/** The original Python programs, beside the repository as in CI (absent on a user's machine). */
export const originalsDir = path.resolve(packageRoot, "..", "shared", "legacy");
export const hasOriginals = existsSync(path.join(originalsDir, "tcpserver.py"));

/** Why a test of the originals does not run here, or undefined when it must run (always in CI). */
export function originalsSkipReason(): string | undefined {
  if (hasOriginals) return undefined;
  if (process.env.CI) throw new Error(`CI must run the tests of the originals, but ${originalsDir} is missing`);
  return `the original Python servers are not at ${originalsDir}`;
}

/**
 * The Python interpreter itself: a version manager's shim (pyenv) adds its own start-up to every start, and
 * the checks start the original server hundreds of times.
 */
export function python(): string {
  return execFileSync("python3", ["-c", "import sys; print(sys.executable)"], { encoding: "utf8" }).trim();
}

export const cliPath = path.join(packageRoot, "dist", "cli", "main.js");

/**
 * Processes a test started: when the test process ends, even killed by tap's timeout (SIGTERM), they get a
 * SIGTERM too, so that a CLI child stops the servers it started in turn. Servers the kit spawned itself
 * are killed by the kit's own exit handler.
 */
const children = new Set<ChildProcess>();
process.on("exit", () => {
  for (const child of children) child.kill("SIGTERM");
});
killSpawnedServersOnSignals();

/** Starts a program, stopped with the test process if it is still running then. */
export function startProgram(file: string, args: string[], options: SpawnOptions = {}): ChildProcessWithoutNullStreams {
  const child = spawn(file, args, { cwd: packageRoot, ...options, stdio: "pipe" });
  children.add(child);
  watch(child.pid!); // even if tap kills this test process outright
  child.once("exit", () => {
    children.delete(child);
    unwatch(child.pid!);
  });
  return child;
}

/** Starts the sockspec CLI, stopped with the test process if it is still running then. */
export const startCli = (args: string[], options: SpawnOptions = {}) => startProgram(process.execPath, [cliPath, ...args], options);

export interface CliResult {
  code: number | null;
  stdout: string;
  stderr: string;
}

/** Runs the sockspec CLI as a user would, with optional standard input. */
export function runCli(args: string[], options: { input?: string; env?: NodeJS.ProcessEnv } = {}): Promise<CliResult> {
  return runProgram(process.execPath, [cliPath, ...args], options);
}

/** Runs a program to its end with the given standard input and extra environment. */
export function runProgram(file: string, args: string[], options: { input?: string; env?: NodeJS.ProcessEnv; cwd?: string } = {}): Promise<CliResult> {
  return new Promise((resolve, reject) => {
    const child = startProgram(file, args, { env: { ...process.env, ...options.env }, ...(options.cwd ? { cwd: options.cwd } : {}) });
    let stdout = "";
    let stderr = "";
    child.stdout.on("data", (chunk: Buffer) => (stdout += chunk.toString()));
    child.stderr.on("data", (chunk: Buffer) => (stderr += chunk.toString()));
    child.on("error", reject);
    child.on("close", (code) => resolve({ code, stdout, stderr }));
    child.stdin.end(options.input ?? "");
  });
}

/**
 * Requires a run's unmet rules to be exactly those of a shipped baseline (baselines/NAME.json): no defect
 * beyond it, and every defect in it shown.
 */
export function expectBaseline(t: Test, report: Report, name: string): void {
  const verdict = compareBaseline(report, loadBaseline(path.join(packageRoot, "baselines", `${name}.json`)));
  t.same(
    verdict.newFailures.map((r) => `${r.id}: ${r.detail.message} ${r.detail.actual ?? ""}`),
    [],
    "no unmet rule beyond the baseline",
  );
  t.same(verdict.nowPassing, [], "every defect of the baseline shows");
  t.same(verdict.unchecked, []);
}

/** The rules of a report not met (failed, timed out, or unmet as a SHOULD), by level: the MUSTs or the rest. */
export function unmetRules(report: Report, levels: "MUST" | "SHOULD"): string[] {
  return report.rules.filter((r) => isUnmet(r) && (r.level === "MUST") === (levels === "MUST")).map((r) => r.id);
}

/**
 * Requires a report's complete per-rule verdict: each rule has the outcome given (pass when not named), none
 * is skipped, and each unmet one says what was expected and what was observed.
 */
export function expectVerdict<Id extends string = string>(t: Test, report: Report, unmet: Readonly<Partial<Record<Id, Outcome>>>): void {
  for (const id of Object.keys(unmet))
    t.ok(
      report.rules.some((r) => r.id === id),
      `${id} is in the report`,
    );
  for (const rule of report.rules) {
    const why = `${rule.detail.message}${rule.detail.actual ? `; observed: ${rule.detail.actual}` : ""}`;
    t.equal(rule.outcome, unmet[rule.id as Id] ?? "pass", `${rule.id}: ${why}`);
    if (isUnmet(rule))
      t.ok(rule.detail.expected && rule.detail.actual && rule.detail.transcript, `${rule.id} says what was expected and observed, with the transcript`);
  }
}

/**
 * Requires a broken server's report to show exactly its declared defect: the MUSTs it fails and the SHOULDs
 * it breaks are those declared, each saying what was expected and observed with the transcript, and every
 * other rule passes (but those `skipped`, which must skip).
 */
export function expectUnmetExactly(
  t: Test,
  report: Report,
  declared: { fails: readonly string[]; warns?: readonly string[] },
  skipped: readonly string[] = [],
): void {
  const sorted = (ids: readonly string[]) => [...ids].sort();
  t.same(sorted(unmetRules(report, "MUST")), sorted(declared.fails), "the MUSTs it breaks, and only those");
  t.same(sorted(unmetRules(report, "SHOULD")), sorted(declared.warns ?? []), "the SHOULDs it breaks, and only those");
  t.same(
    sorted(report.rules.filter((r) => !isUnmet(r) && r.outcome !== "pass").map((r) => `${r.id} ${r.outcome}`)),
    sorted(skipped.map((id) => `${id} skip`)),
    "every other rule passes",
  );
  const unmet = report.rules.filter(isUnmet);
  for (const rule of unmet)
    t.ok(
      rule.detail.expected && rule.detail.actual && rule.detail.transcript?.events.length,
      `${rule.id} says what was expected and observed, with the transcript`,
    );
  // A verdict that differs says why each rule was unmet.
  if (t.passing()) return;
  for (const { id, outcome, detail } of unmet) t.comment(`${id} ${outcome}: ${detail.message}; expected ${detail.expected}; observed ${detail.actual}`);
}

/** A built-in protocol's reference server as the runner checks it (its reference limits), for tests that start it themselves. */
export const referenceOf = (protocol: string) => referenceTarget(builtInProtocol(protocol), {});

/**
 * The processes on this machine whose command line mentions the text (a test's own folder, say), from
 * /proc; empty without /proc. A server a test spawned is found by it even when it left every process group
 * and session the test knows of.
 */
export async function processesMentioning(text: string): Promise<number[]> {
  const pids = (await readdir("/proc").catch(() => [] as string[])).filter((name) => /^\d+$/.test(name) && Number(name) !== process.pid);
  const found: number[] = [];
  for (const pid of pids) {
    const cmdline = await readFile(`/proc/${pid}/cmdline`, "utf8").catch(() => "");
    if (cmdline.replaceAll("\0", " ").includes(text)) found.push(Number(pid));
  }
  return found;
}

/** Waits, up to a minute, until no process mentions the text; the processes still there then. */
export async function processesGone(text: string): Promise<number[]> {
  const deadline = performance.now() + 60_000;
  for (;;) {
    const left = await processesMentioning(text);
    if (left.length === 0 || performance.now() > deadline) return left;
    await delay(50); // nothing announces another process's end; poll
  }
}
