// `npm run bench`: how long a full check takes with the defaults, run as a user runs it (the CLI, a process of
// its own): of each built-in reference server, and of the original Python servers (spawned, as docs/checking.md shows).
// Each is timed against its target: about the longest limit the spec makes the runner wait out. The table goes
// to docs/performance.md. Exits 1 when a target is missed or a run left a rule unchecked.
import { spawn } from "node:child_process";
import { existsSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { packageRoot } from "../spec/paths.js";
import { writeReadmeSection } from "./readme-section.js";

const cli = path.join(packageRoot, "dist", "cli", "main.js");
const originals = path.join(packageRoot, "..", "shared", "legacy");
const python = process.env.PYTHON ?? "python3";
const capitalizerSpec = path.join(packageRoot, "protocols", "capitalizer", "spec", "protocol.json");

interface Run {
  what: string;
  args: string[];
  targetMs: number;
  /** What the target is made of. */
  why: string;
  /** A server some of whose rules are rightly not checkable (a homework server's defect): only its time is held to the target. */
  mayLeaveUnchecked?: boolean;
}

const runs: Run[] = [
  ...["capitalizer", "bank", "status"].map((protocol) => ({
    what: `reference ${protocol}`,
    args: ["check", protocol],
    targetMs: 5_000,
    why: "short limits, in this process",
  })),
  ...(existsSync(path.join(originals, "tcpserver.py"))
    ? [
        {
          what: "original capitalizer",
          args: ["check", "capitalizer", "--spawn", `${python} ${path.join(originals, "tcpserver.py")}`],
          targetMs: 90_000,
          why: "its floor: the 60 s idle timeout",
        },
        {
          what: "original bank",
          args: ["check", "bank", "--spawn", `${python} ${path.join(originals, "udpserver.py")}`],
          targetMs: 45_000,
          why: "its floor: the 30 s challenge timeout",
        },
      ]
    : []),
  // Homework-style capitalizers (test/adversarial/homework/), held to the original's bound whatever their defects.
  ...["capitalizer_quota_per_connection.py", "capitalizer_one_at_a_time.py", "capitalizer_one_connection.py", "capitalizer_drip.py"].map((script) => ({
    what: `homework ${script.replace(/^capitalizer_|\.py$/g, "").replaceAll("_", " ")} capitalizer`,
    args: ["check", "capitalizer", "--spawn", `${python} ${path.join(packageRoot, "test", "adversarial", "homework", script)} ${capitalizerSpec}`],
    targetMs: 90_000,
    why: "as the original capitalizer",
    mayLeaveUnchecked: true,
  })),
];

interface Summary {
  total: number;
  checked: number;
  pass: number;
}

/** Runs the CLI with a JSON report and returns its summary and how long it took. */
function timeCheck(args: string[]): Promise<{ ms: number; summary: Summary; code: number | null }> {
  return new Promise((resolve, reject) => {
    const started = performance.now();
    const child = spawn(process.execPath, [cli, ...args, "--reporter", "json"], { stdio: ["ignore", "pipe", "inherit"] });
    let out = "";
    child.stdout.on("data", (chunk: Buffer) => (out += chunk.toString()));
    child.on("error", reject);
    child.on("close", (code) => {
      try {
        resolve({ ms: Math.round(performance.now() - started), summary: (JSON.parse(out) as { summary: Summary }).summary, code });
      } catch (error) {
        reject(new Error(`sockspec ${args.join(" ")} exited with ${code} and no report: ${(error as Error).message}`));
      }
    });
  });
}

const seconds = (ms: number) => `${(ms / 1000).toFixed(1)} s`;
let missed = false;
const lines = ["| full check, defaults | time | target | rules checked | pass |", "| --- | --- | --- | --- | --- |"];
for (const run of runs) {
  const { ms, summary } = await timeCheck(run.args);
  const met = ms <= run.targetMs && (run.mayLeaveUnchecked || summary.checked === summary.total);
  missed ||= !met;
  const line = `| ${run.what} | ${seconds(ms)} | ${met ? "met" : "MISSED"}: <= ${seconds(run.targetMs)} (${run.why}) | ${summary.checked} of ${summary.total} | ${summary.pass} |`;
  console.log(line);
  lines.push(line);
}
const table = `${lines.join("\n")}\n\nMeasured by \`npm run bench\` on ${os.availableParallelism()} cores, ${new Date().toISOString().slice(0, 10)}; the originals spawned with ${python}.`;
writeReadmeSection("check-times", table);
console.log("wrote the table to the docs");
process.exitCode = missed ? 1 : 0;
