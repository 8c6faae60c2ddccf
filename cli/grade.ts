import { spawn } from "node:child_process";
import { createHash } from "node:crypto";
import { existsSync, mkdirSync, readdirSync, statSync, writeFileSync } from "node:fs";
import path from "node:path";
import { classReportHtml, classSummary, gradebookCsv, type GradedSubmission } from "../conformance/class-report.js";
import { runPool } from "../conformance/pool.js";
import type { Report } from "../conformance/report.js";
import { gradedRules, scoreReport, type Rubric } from "../conformance/rubric.js";
import { integerOption, parse, UsageError } from "../conformance/usage.js";
import type { ProtocolModule } from "../protocols/protocol-module.js";
import type { ProtocolSpec } from "../spec/protocol.js";
import { packageRoot } from "../spec/paths.js";
import { readJson } from "../spec/read-json.js";
import { assertValid } from "../spec/validator.js";
import { clientCatalogue } from "../conformance/client/client-runner.js";
import { chosenProtocol, protocolFolderHelp, protocolFolderOption } from "./protocol-option.js";
import { rubricOption } from "./rubric-option.js";
import { shellWord } from "./shell-word.js";

export const gradeHelp = `Usage: sockspec grade <protocol> <folder> --spawn CMD [options]

Grades a class: every subfolder of <folder> is a submission, checked by sockspec check in a process of
its own, several at a time, with its server started by CMD in which {submission} is the submission's
folder (--spawn "python3 {submission}/tcpserver.py"). Writes to --out: gradebook.csv (a row per
submission: its score, then each graded rule's outcome), class.html (the scores and each rule's pass
rate), and per submission its report.json, report.html, results.json (Gradescope) and check.log (what
the check printed).

  --client             grade clients, not servers: each submission's client is checked by sockspec
                       check-client against the protocol's client rules, --spawn starting the client
  --driver FILE        with --client: how to drive the clients (default the original client's interface)
  --spawn CMD          how a submission's server starts: {submission} is its folder, quoted for the shell
                       (do not quote it again), also in the server's environment as SUBMISSION; and
                       {host}/{port} as for check
  -o, --out DIR        where the grades go (default ./grades)
  --rubric NAME|FILE   how a report is scored (homework, full, or a file; default every rule one point);
                       only the rules it grades are checked, unless --only says otherwise
  --parallel N         submissions checked at once (default 4)
  --max-time S         the most one submission's check may take (default 600): then it is reported as
                       interrupted, with the rules it did not finish as not checked
  --shard i/n          grade only the i-th of n shards of the class (by a hash of each submission's
                       name, the same on every machine); sockspec merge joins the shards' --out folders
  --only, --exclude, --runs, --seed, --timeout, --limit, --jobs, --shrink-time, --spawn-memory,
  --spawn-cpu, --spawn-processes, --spawn-file-size
                       passed to each check as sockspec check takes them (with --client, only the
                       first five, as sockspec check-client takes them)
${protocolFolderHelp(23)}

A submission whose server will not start, or whose check ends without a report, scores 0 and the
gradebook says why. Exit code: 0 when the class was graded, 2 for a bad command line or a folder with
no submission.`;

/** The options grade passes to each submission's check as they are. */
const forwarded = {
  only: { type: "string" },
  exclude: { type: "string" },
  runs: { type: "string" },
  seed: { type: "string" },
  timeout: { type: "string" },
  limit: { type: "string", multiple: true },
  jobs: { type: "string" },
  "spawn-memory": { type: "string" },
  "spawn-cpu": { type: "string" },
  "spawn-processes": { type: "string" },
  "spawn-file-size": { type: "string" },
  "shrink-time": { type: "string" },
} as const;

/** The forwarded options sockspec check-client takes too: the rest limit a server or its check's machinery. */
const forwardedToClientChecks = new Set(["only", "exclude", "runs", "seed", "timeout"]);

/** How much of a check's own output a submission's check.log keeps: its end, where the verdict is. */
const KEPT_LOG_BYTES = 256 * 1024;
/** How long past its --max-time a submission's check may take to write its report before it is killed. */
const REPORT_GRACE_MS = 60_000;

export async function runGrade(args: string[]): Promise<number> {
  const { values, positionals } = parse(
    args,
    {
      spawn: { type: "string" },
      out: { type: "string", short: "o" },
      rubric: { type: "string" },
      parallel: { type: "string" },
      "max-time": { type: "string" },
      shard: { type: "string" },
      client: { type: "boolean" },
      driver: { type: "string" },
      ...forwarded,
      ...protocolFolderOption,
    },
    "grade",
  );
  const folder = positionals.at(-1);
  if (folder === undefined || positionals.length !== (values.protocol === undefined ? 2 : 1))
    throw new UsageError("grade takes a protocol and a folder of submissions (sockspec grade capitalizer submissions/ --spawn CMD)");
  const client = values.client === true;
  const { module } = await chosenProtocol(positionals.slice(0, -1), values.protocol, "grade", client ? (m) => m.clientChecks !== undefined : undefined);
  if (client && !module.clientChecks) throw new UsageError(`${module.spec.protocol} has no client rules: grade --client has nothing to check`);
  if (values.driver !== undefined && !client) throw new UsageError("--driver drives clients: it goes with --client");
  if (values.driver !== undefined && !existsSync(values.driver)) throw new UsageError(`--driver: no file ${values.driver}`);
  const serverOnly = client
    ? Object.keys(forwarded).filter((flag) => !forwardedToClientChecks.has(flag) && (values as Record<string, unknown>)[flag] !== undefined)
    : [];
  if (serverOnly.length > 0) throw new UsageError(`--${serverOnly[0]} is for server checks, not --client`);
  // A client's rules are graded as a catalogue of their own.
  const catalogue = client ? clientCatalogue(module.spec) : module.spec;
  if (values.spawn === undefined)
    throw new UsageError('grade needs --spawn CMD, with {submission} for the submission\'s folder (--spawn "python3 {submission}/server.py")');
  if (!values.spawn.includes("{submission}")) throw new UsageError("--spawn must name {submission}, the folder of the submission being graded");
  if (!existsSync(folder) || !statSync(folder).isDirectory()) throw new UsageError(`${folder} is not a folder`);
  const all = readdirSync(folder, { withFileTypes: true })
    .filter((entry) => entry.isDirectory() && !entry.name.startsWith("."))
    .map((entry) => entry.name)
    .sort();
  if (all.length === 0) throw new UsageError(`${folder} has no submission (a subfolder each)`);
  // Folder names come from the whole class, so that every shard names a submission's folder alike.
  const folderOf = new Map(all.map((name, i) => [name, folderNames(all)[i]!]));
  const shard = shardOption(values.shard);
  const submissions = all.filter((name) => inShard(name, shard));
  const outputFolders = submissions.map((name) => folderOf.get(name)!);
  const rubric = rubricOption(values.rubric, { ...module, spec: catalogue });
  const parallel = integerOption("parallel", values.parallel, 1, 256) ?? 4;
  const maxTimeS = integerOption("max-time", values["max-time"], 1, 86_400) ?? 600;
  const out = path.resolve(values.out ?? "grades");
  mkdirSync(out, { recursive: true });
  const passed = Object.entries(forwarded).flatMap(([flag]) => {
    const value = (values as Record<string, string | string[] | undefined>)[flag];
    return value === undefined ? [] : (Array.isArray(value) ? value : [value]).flatMap((v) => [`--${flag}`, v]);
  });
  const rubricArgs = values.rubric === undefined ? [] : ["--rubric", existsSync(values.rubric) ? path.resolve(values.rubric) : values.rubric];
  // A rule the rubric does not grade costs a submission's check time and earns nothing: only graded rules run.
  const onlyArgs = values.only === undefined && values.rubric !== undefined ? ["--only", gradedRules(rubric, catalogue).join(",")] : [];

  const graded: GradedSubmission[] = [];
  let done = 0;
  await runPool(
    submissions.map((_, i) => i),
    parallel,
    async (i) => {
      const name = submissions[i]!;
      const submission = await gradeOne(module, name, path.resolve(folder, name), path.join(out, outputFolders[i]!), {
        spawn: values.spawn!,
        command: client ? "check-client" : "check",
        args: [
          ...passed,
          ...onlyArgs,
          ...rubricArgs,
          ...(values.driver ? ["--driver", path.resolve(values.driver)] : []),
          ...(values.protocol ? ["--protocol", path.resolve(values.protocol)] : []),
        ],
        maxTimeS,
        score: (report) => scoreReport(report, rubric, catalogue),
      });
      graded[i] = { ...submission, folder: outputFolders[i]! };
      writeFileSync(path.join(out, outputFolders[i]!, GRADE_FILE), `${JSON.stringify({ name, seconds: submission.seconds, problem: submission.problem })}\n`);
      done += 1;
      const result = submission.scored ? `${submission.scored.score} of ${submission.scored.max}` : `not checked: ${submission.problem}`;
      process.stdout.write(`[${done}/${submissions.length}] ${name}: ${result} (${submission.seconds} s)\n`);
    },
  );
  process.stdout.write(`\n${writeClassFiles(out, graded, rubric, catalogue)}\n`);
  return 0;
}

/** What grade keeps of each submission beside its report, for `sockspec merge`: its name, time, and why it could not be checked. */
export const GRADE_FILE = "grade.json";

/** Writes the gradebook and the class page of the graded submissions; the class summary, in words. */
export function writeClassFiles(out: string, graded: readonly GradedSubmission[], rubric: Rubric, catalogue: ProtocolSpec): string {
  const rules = gradedRules(rubric, catalogue);
  const max = rubric.parts.reduce((sum, part) => sum + part.points, 0);
  writeFileSync(path.join(out, "gradebook.csv"), gradebookCsv(graded, rules, max));
  writeFileSync(path.join(out, "class.html"), classReportHtml(`${catalogue.protocol}: ${rubric.title}`, graded, rules, max));
  return `${classSummary(graded, rules, max)}\nwrote ${path.join(out, "gradebook.csv")} and ${path.join(out, "class.html")}`;
}

/** One shard of a class, as --shard i/n names it (1 <= i <= n). */
interface Shard {
  index: number;
  count: number;
}

function shardOption(value: string | undefined): Shard {
  if (value === undefined) return { index: 1, count: 1 };
  const match = /^(\d+)\/(\d+)$/.exec(value);
  const [index, count] = match ? [Number(match[1]), Number(match[2])] : [0, 0];
  if (!match || count < 1 || index < 1 || index > count) throw new UsageError(`--shard must be i/n with 1 <= i <= n (as 2/3), got "${value}"`);
  return { index, count };
}

/**
 * Whether a submission is in the shard, by a hash of its name: the same on every machine and in every
 * run, whatever else is in the folder, so that the shards of a class share no submission and miss none.
 */
export function inShard(name: string, { index, count }: Shard): boolean {
  return createHash("sha256").update(name).digest().readUInt32BE(0) % count === index - 1;
}

/**
 * The folder of each submission's grades, named after it: only letters, digits, dots, dashes and
 * underscores, as a reporter's file name cannot hold a comma or a colon, and distinct.
 */
export function folderNames(submissions: readonly string[]): string[] {
  const taken = new Set<string>();
  return submissions.map((name) => {
    const base = name.replace(/[^\w.-]+/g, "_").replace(/^\.+/, "_") || "_";
    let folder = base;
    for (let n = 2; taken.has(folder); n++) folder = `${base}-${n}`;
    taken.add(folder);
    return folder;
  });
}

interface GradeSettings {
  /** The command that checks a submission: check (its server) or check-client (its client). */
  command: "check" | "check-client";
  spawn: string;
  args: string[];
  maxTimeS: number;
  score(report: Report): GradedSubmission["scored"];
}

/** Checks one submission in a process of its own, and grades its report. */
async function gradeOne(module: ProtocolModule, name: string, submission: string, out: string, settings: GradeSettings): Promise<GradedSubmission> {
  mkdirSync(out, { recursive: true });
  const started = performance.now();
  const file = (base: string) => path.join(out, base);
  const cli = path.join(packageRoot, "dist", "cli", "main.js");
  const args = [
    cli,
    settings.command,
    ...(settings.args.includes("--protocol") ? [] : [module.spec.protocol]),
    "--spawn",
    settings.spawn.replaceAll("{submission}", shellWord(submission)),
    "--reporter",
    `json:${file("report.json")},html:${file("report.html")},gradescope:${file("results.json")}`,
    "--max-time",
    String(settings.maxTimeS),
    ...settings.args,
  ];
  // Run from the grades' folder, not the submission's: a sockspec.config.json a student put there must not
  // change how they are checked.
  const { code, lastLine, log } = await runCheck(args, out, submission, settings.maxTimeS * 1000 + REPORT_GRACE_MS);
  writeFileSync(file("check.log"), log);
  const seconds = Math.round((performance.now() - started) / 100) / 10;
  let report: Report;
  try {
    const read = readJson(file("report.json"));
    assertValid("report.schema.json", read, "the report");
    report = read as Report;
  } catch {
    return { name, seconds, problem: lastLine ?? `the check ended with code ${code} and no report` };
  }
  return { name, seconds, scored: settings.score(report), ...(report.interrupted ? { problem: `interrupted after ${settings.maxTimeS} s` } : {}) };
}

/**
 * Runs a check to its end, or kills it past the deadline: its exit code, the last `sockspec:` line it
 * printed, and the end of what it printed (its human report, then its last words).
 */
function runCheck(args: string[], cwd: string, submission: string, deadlineMs: number): Promise<{ code: number | null; lastLine?: string; log: string }> {
  return new Promise((resolve) => {
    // The submission's server finds its folder in SUBMISSION too, as the check passes its environment on.
    const child = spawn(process.execPath, args, { cwd, stdio: ["ignore", "pipe", "pipe"], env: { ...process.env, SUBMISSION: submission } });
    let log = "";
    const keep = (chunk: Buffer) => (log = (log + chunk.toString()).slice(-KEPT_LOG_BYTES));
    child.stdout.on("data", keep);
    child.stderr.on("data", keep);
    const timer = setTimeout(() => child.kill("SIGKILL"), deadlineMs);
    child.on("close", (code) => {
      clearTimeout(timer);
      const lastLine = log
        .split("\n")
        .filter((line) => line.startsWith("sockspec: "))
        .at(-1)
        ?.slice("sockspec: ".length);
      resolve({ code, log, ...(lastLine ? { lastLine } : {}) });
    });
  });
}
