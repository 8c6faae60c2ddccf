#!/usr/bin/env node
import { readFileSync } from "node:fs";
import path from "node:path";
import { TargetUnavailableError } from "../conformance/target.js";
import { killSpawnedServersOnSignals } from "../conformance/spawn.js";
import { packageRoot } from "../spec/paths.js";
import type { Command as ProtocolCommand } from "../protocols/protocol-module.js";
import { UsageError } from "../conformance/usage.js";
import { exitWhenWritten } from "../conformance/exit-code.js";

interface Command {
  help: string;
  run(args: string[]): Promise<number>;
}

// Each command is loaded when it is used: `serve`, which the runner starts again and again, then does not
// pay for the runner, fast-check and ajv.
const commands: Record<string, () => Promise<Command>> = {
  check: async () => import("./check.js").then((m) => ({ help: m.checkHelp, run: m.runCheck })),
  "check-client": async () => import("./check-client.js").then((m) => ({ help: m.checkClientHelp, run: m.runCheckClient })),
  serve: async () => import("./serve.js").then((m) => ({ help: m.serveHelp, run: m.runServe })),
  client: async () => import("./client.js").then((m) => ({ help: m.clientHelp, run: m.runClient })),
  record: async () => import("./record.js").then((m) => ({ help: m.recordHelp, run: m.runRecord })),
  replay: async () => import("./replay.js").then((m) => ({ help: m.replayHelp, run: m.runReplay })),
  report: async () => import("./report.js").then((m) => ({ help: m.reportHelp, run: m.runReport })),
  grade: async () => import("./grade.js").then((m) => ({ help: m.gradeHelp, run: m.runGrade })),
  merge: async () => import("./merge.js").then((m) => ({ help: m.mergeHelp, run: m.runMerge })),
  prove: async () => import("./prove.js").then((m) => ({ help: m.proveHelp, run: m.runProve })),
  bench: async () => import("./bench.js").then((m) => ({ help: m.benchHelp, run: m.runBench })),
  docs: async () => import("./docs.js").then((m) => ({ help: m.docsHelp, run: m.runDocs })),
};

/** The commands the protocols bring (e.g. an HTTP protocol's probe), loaded only when one is asked for. */
async function protocolCommands(): Promise<Record<string, ProtocolCommand>> {
  const { builtInProtocols } = await import("../protocols/registry.js");
  return Object.assign({}, ...builtInProtocols.map((module) => module.commands ?? {}));
}

const help = async () => `Usage: sockspec <command> <protocol> [options]

Protocol specifications and a conformance test kit, for the built-in protocols
(${(await import("../protocols/registry.js")).builtInProtocols.map(({ spec }) => `${spec.protocol} (${spec.transport.toUpperCase()})`).join(", ")}) and protocols of your own.

Commands:
  check    check a server against the protocol's rules (the built-in reference by default)
  check-client check a client against the protocol's client rules, the kit playing the server
  serve    run the reference server
  client   an interactive client
  record   record a real client's session with a real server, through a proxy, as a transcript
  replay   run one failure's counterexample again, by the case ID it printed
  report   turn a saved JSON report into another format (human, junit, html, ...)
  grade    grade a class: every subfolder a submission, a gradebook and a class report
  merge    join the grades of a class graded in shards (grade --shard i/n)
  prove    prove a protocol's checks with its broken servers: each trips exactly its own rules
  bench    load a server with checked requests: throughput and latency percentiles
  docs     print the protocol's document, generated from its spec
${Object.entries(await protocolCommands())
  .map(([name, command]) => `  ${name.padEnd(8)} ${command.summary}`)
  .join("\n")}

sockspec help <command> (or sockspec <command> --help) shows a command's options;
sockspec --version (-V) shows the version.`;

async function main(argv: string[]): Promise<number> {
  const [name, ...args] = argv;
  if (name === "--version" || name === "-V" || name === "-v") {
    const pkg = JSON.parse(readFileSync(path.join(packageRoot, "package.json"), "utf8")) as { version: string };
    process.stdout.write(`${pkg.version}\n`);
    return 0;
  }
  if (name === "help" && args[0] !== undefined) return main([args[0], "--help"]);
  if (name === undefined || name === "--help" || name === "-h" || name === "help") {
    process.stdout.write(`${await help()}\n`);
    return name === undefined ? 2 : 0;
  }
  // The protocols' commands are looked up only for a name that is none of the kit's.
  const theirs = commands[name] ? {} : await protocolCommands();
  const load = commands[name] ?? theirs[name]?.load;
  if (!load) throw new UsageError(`unknown command "${name}" (commands: ${[...Object.keys(commands), ...Object.keys(theirs)].join(", ")})`);
  const command = await load();
  // Servers the runner starts run in process groups of their own, which no terminal signal reaches.
  if (name === "check" || name === "check-client" || name === "replay" || name === "bench" || name === "prove") killSpawnedServersOnSignals();
  if (args.includes("--help")) {
    process.stdout.write(`${command.help}\n`);
    return 0;
  }
  return command.run(args);
}

// A reader that leaves early (`sockspec check ... | head`) is no error of ours: stop quietly, as Unix tools do.
// `serve` and `record` keep running instead, so they handle this themselves.
if (process.argv[2] !== "serve" && process.argv[2] !== "record") {
  process.stdout.on("error", (error: NodeJS.ErrnoException) => {
    if (error.code === "EPIPE") process.exit(process.exitCode ?? 0);
    throw error;
  });
}

let settled = false;
// Node ends a process whose event loop is empty even while a promise is pending: a command whose work
// awaits something that can never settle (a protocol folder's checks() that never resolves, say) would
// end with code 0 and no verdict. It ends as an internal error instead, saying so.
process.on("beforeExit", () => {
  if (settled) return;
  settled = true;
  process.stderr.write(
    "sockspec: internal error: the command ended without a result: something it waited for (a protocol's checks() or server, a check) can never settle\n",
  );
  process.exitCode = 70;
});

/**
 * Commands that end once their work is done end then, whatever is left running: a timer a protocol folder
 * set at import, or a check's run that never settled (a silent server's socket), would otherwise keep the
 * process alive after its verdict. The servers it started are stopped on the way out (spawn.ts).
 */
const endsWhenDone = new Set(["client", "check", "check-client", "replay", "bench", "docs", "report", "grade", "merge", "prove"]);

main(process.argv.slice(2)).then(
  (code) => {
    settled = true;
    process.exitCode = code;
    if (endsWhenDone.has(process.argv[2] ?? "")) exitWhenWritten(code);
  },
  (error: unknown) => {
    settled = true;
    if (error instanceof UsageError || error instanceof TargetUnavailableError) {
      process.stderr.write(`sockspec: ${error.message}\n`);
      exitWhenWritten(2);
    } else {
      process.stderr.write(`sockspec: internal error: ${(error as Error).stack ?? String(error)}\n`);
      exitWhenWritten(70);
    }
  },
);
