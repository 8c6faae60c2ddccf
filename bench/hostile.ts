// `npm run bench`: the attacks a hostile server, command or protocol folder makes on the kit, each run as a
// user runs it (the CLI, a process of its own), with the time and peak memory with which the kit holds it,
// against a target for each. The table goes to docs/reliability.md. Exits 1 when an attack was not held or a target
// was missed.
import { spawn } from "node:child_process";
import { cpSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { readdir, readFile } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { packageRoot } from "../spec/paths.js";
import { writeReadmeSection } from "./readme-section.js";

const cli = path.join(packageRoot, "dist", "cli", "main.js");
const serve = path.join(packageRoot, "dist", "test", "adversarial", "hostile", "serve.js");
const hostileServer = (kind: string) => `"${process.execPath}" "${serve}" ${kind}`;
/** The most memory the kit may take against any attack: an unbounded read would take gigabytes. */
const MAX_RSS_MIB = 400;
/** Survival is the point, not counterexamples: few runs, no shrinking, short replies and limits. */
const brief = ["--runs", "10", "--timeout", "500", "--shrink-time", "0"];
const shortCapitalizer = ["--limit", "idleTimeoutMs=1000", "--limit", "maxConnections=16", "--limit", "maxConnectionsPerAddress=12"];

// Inside the package, so that a protocol folder copied there imports "sockspec" as the examples do.
const scratch = mkdtempSync(path.join(packageRoot, ".bench-hostile-"));
process.on("exit", () => rmSync(scratch, { recursive: true, force: true }));

/** A copy of the one-shot example whose module loops forever at import. */
function loopingFolder(): string {
  const dir = path.join(scratch, "looping");
  cpSync(path.join(packageRoot, "examples", "one-shot"), dir, { recursive: true });
  const index = path.join(dir, "tcp", "index.js");
  writeFileSync(index, `while (true) {}\n${readFileSync(index, "utf8")}`);
  return path.join(dir, "tcp");
}

interface Attack {
  what: string;
  args: string[];
  /** The exit code that shows the kit held: a verdict (1), or a usage error or interruption (2). */
  exit: number;
  targetMs: number;
  /** What its `sockspec:` line on standard error must say, where the exit code alone does not show the attack was met. */
  says?: RegExp;
  /** Text on the command lines of processes that must be gone when the command has ended. */
  leavesNothing?: string;
}

const daemonMarker = path.join(scratch, "daemon");
const attacks: Attack[] = [
  ...["tcp-endless", "tcp-50mb", "tcp-trickle", "tcp-reset"].map((kind) => ({
    what: `check capitalizer against ${kind}`,
    args: ["check", "capitalizer", "--spawn", hostileServer(kind), ...shortCapitalizer, ...brief],
    exit: 1,
    targetMs: 60_000,
  })),
  ...["udp-twice", "udp-flood"].map((kind) => ({
    what: `check bank against ${kind}`,
    args: ["check", "bank", "--spawn", hostileServer(kind), ...brief],
    exit: 1,
    targetMs: 60_000,
  })),
  ...["http-endless-chunked", "http-500mb", "http-huge-headers", "http-1xx-storm", "http-redirect-loop"].map((kind) => ({
    what: `check status against ${kind}`,
    args: ["check", "status", "--spawn", hostileServer(kind), ...brief],
    exit: 1,
    targetMs: 60_000,
  })),
  {
    what: "bench status (6 s) against http-endless-chunked",
    args: ["bench", "status", "--spawn", hostileServer("http-endless-chunked"), "--duration", "6"],
    exit: 1,
    targetMs: 20_000,
  },
  {
    what: "bench status (6 s) against http-1xx-storm",
    args: ["bench", "status", "--spawn", hostileServer("http-1xx-storm"), "--duration", "6"],
    // Nothing is ever answered: the bench has nothing to measure, and says so.
    exit: 2,
    targetMs: 20_000,
  },
  {
    what: "bench bank (6 s) against udp-twice",
    args: ["bench", "bank", "--spawn", hostileServer("udp-twice"), "--duration", "6"],
    exit: 1,
    targetMs: 20_000,
  },
  {
    what: "check --max-time 10 against a daemon (setsid) that never answers",
    args: ["check", "capitalizer", "--spawn", `setsid ${hostileServer("tcp-silent")} ${daemonMarker} & wait`, "--max-time", "10"],
    exit: 2,
    targetMs: 15_000,
    leavesNothing: daemonMarker,
  },
  {
    what: "check --protocol with a while (true) at import",
    args: ["check", "--protocol", loopingFolder()],
    exit: 2,
    targetMs: 15_000,
    says: /did not load within/,
  },
];

/** Runs the CLI, measuring its wall time and its peak memory from inside. */
function measured(args: string[]): Promise<{ ms: number; code: number | null; rssMiB: number; firstLine: string }> {
  const wrapper = `process.argv.splice(1, 0, "sockspec"); process.on("exit", () => process.stderr.write("maxRSS " + process.resourceUsage().maxRSS + "\\n")); await import(${JSON.stringify(cli)});`;
  return new Promise((resolve, reject) => {
    const started = performance.now();
    const child = spawn(process.execPath, ["--input-type=module", "-e", wrapper, ...args], { stdio: ["ignore", "ignore", "pipe"] });
    let stderr = "";
    child.stderr.on("data", (chunk: Buffer) => (stderr = (stderr + chunk.toString()).slice(-64 * 1024)));
    child.on("error", reject);
    child.on("close", (code) =>
      resolve({
        ms: Math.round(performance.now() - started),
        code,
        rssMiB: Math.round(Number(/maxRSS (\d+)/.exec(stderr)?.[1] ?? Number.NaN) / 1024),
        firstLine: stderr.split("\n").find((line) => line.startsWith("sockspec:")) ?? "",
      }),
    );
  });
}

/** Processes whose command line mentions the text, from /proc. */
async function processesMentioning(text: string): Promise<number> {
  let found = 0;
  for (const pid of (await readdir("/proc").catch(() => [] as string[])).filter((name) => /^\d+$/.test(name)))
    if ((await readFile(`/proc/${pid}/cmdline`, "utf8").catch(() => "")).includes(text)) found++;
  return found;
}

const seconds = (ms: number) => `${(ms / 1000).toFixed(1)} s`;
let missed = false;
const lines = ["| attack | exit | time | peak memory | held |", "| --- | --- | --- | --- | --- |"];
for (const attack of attacks) {
  const { ms, code, rssMiB, firstLine } = await measured(attack.args);
  const left = attack.leavesNothing === undefined ? 0 : await processesMentioning(attack.leavesNothing);
  const problems = [
    ...(code !== attack.exit ? [`exit ${code}, not ${attack.exit}`] : []),
    ...(attack.says && !attack.says.test(firstLine) ? [`said "${firstLine}"`] : []),
    ...(ms > attack.targetMs ? [`over ${seconds(attack.targetMs)}`] : []),
    ...(!(rssMiB <= MAX_RSS_MIB) ? [`over ${MAX_RSS_MIB} MiB`] : []),
    ...(left > 0 ? [`${left} process(es) left running`] : []),
  ];
  missed ||= problems.length > 0;
  const held =
    problems.length === 0
      ? `yes (<= ${seconds(attack.targetMs)}, <= ${MAX_RSS_MIB} MiB${attack.leavesNothing ? ", nothing left running" : ""})`
      : `NO: ${problems.join(", ")}`;
  const line = `| ${attack.what} | ${code} | ${seconds(ms)} | ${rssMiB} MiB | ${held} |`;
  console.log(line);
  lines.push(line);
}
const table = `${lines.join("\n")}\n\nMeasured by \`npm run bench\` on ${os.availableParallelism()} cores, ${new Date().toISOString().slice(0, 10)}.`;
writeReadmeSection("hostile", table);
console.log("wrote the table to the docs");
process.exitCode = missed ? 1 : 0;
