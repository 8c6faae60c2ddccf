import { existsSync } from "node:fs";
import { checkClient, clientCatalogue } from "../conformance/client/client-runner.js";
import { runExit } from "../conformance/exit-code.js";
import { selectFrom } from "../conformance/report.js";
import { scoreReport } from "../conformance/rubric.js";
import { integerOption, parse, UsageError } from "../conformance/usage.js";
import { builtInProtocols } from "../protocols/registry.js";
import type { ProtocolSpec } from "../spec/protocol.js";
import { chosenProtocol, protocolFolderHelp, protocolFolderOption } from "./protocol-option.js";
import { expectWritable, reportOutputs, ReportWriter } from "./report-outputs.js";
import { applyBaseline, readBaseline } from "./baseline-option.js";
import { reproduceWith } from "./reproduce.js";
import { rubricOption } from "./rubric-option.js";
import { RunOutput } from "./run-output.js";

const withClientRules = builtInProtocols.filter((m) => m.clientChecks);

export const checkClientHelp = `Usage: sockspec check-client <protocol> --spawn "CMD" [options]

Checks a client against the client rules of the protocol's catalogue (${withClientRules.map((m) => m.spec.protocol).join(", ")}):
the kit plays the server, on a free port, scripted for each case (replies split and delayed, closes,
resets; over UDP lost replies and spoofed datagrams), starts the client with CMD for each property run
(HOST and PORT in its environment, {host} and {port} substituted), drives it through its standard
input, and judges what it sends and what it shows.

  --spawn CMD        the command that starts the client under test (required)
  --driver FILE      how to make the client do each action, as input lines (default: the original
                     client's interface; see docs/checking-a-client.md)
  --only IDS         check only these client rules (comma-separated IDs or globs: CAPC-*)
  --exclude IDS      leave these client rules out
  --seed N           the seed of the runs' inputs (the same seed draws the same cases)
  --runs N           the property-run budget; each rule makes a tenth of it, at least 3, or a
                     twentieth where each run waits out a lost reply (default 100)
  -t, --timeout MS   how long the client may take to send, show or end (default 2000)
  --max-time S       the most the whole check may take: then the rules not finished are not checked,
                     and the run is reported as interrupted
  --rubric FILE      how the report is scored for the reporters that grade (a rubric of the client
                     rules; default every client rule one point)
  --strict           count unmet SHOULDs against the verdict
  --reporter NAME    human, json, tap, junit, html, ndjson, gradescope, classroom, github (NAME:FILE,
                     comma-separated, for several)
  -o, --out FILE     write the report there
  --baseline FILE    pass when the unmet rules are those the baseline accepts; --baseline-update writes
                     it from this run, --baseline-prune drops the entries that now pass
${protocolFolderHelp(19)}

Exit code: 0 when no MUST failed (or, with --baseline, nothing beyond the baseline), 1 otherwise, 2 for
bad arguments.`;

const options = {
  spawn: { type: "string" },
  driver: { type: "string" },
  only: { type: "string" },
  exclude: { type: "string" },
  seed: { type: "string" },
  runs: { type: "string" },
  timeout: { type: "string", short: "t" },
  "max-time": { type: "string" },
  rubric: { type: "string" },
  strict: { type: "boolean" },
  reporter: { type: "string" },
  out: { type: "string", short: "o" },
  baseline: { type: "string" },
  "baseline-update": { type: "boolean" },
  "baseline-prune": { type: "boolean" },
  ...protocolFolderOption,
} as const;

/** Options that say where the report goes or which rules run: a reproduce line leaves them out. */
const notReproduced = new Set(["only", "exclude", "seed", "reporter", "out", "baseline", "baseline-update", "baseline-prune"]);

/** How an unmet client rule is run again: the same command for that rule alone, with the run's seed (the same seed draws the same cases). */
const reproduceLine = (args: string[], protocol: string) =>
  reproduceWith(
    args,
    protocol,
    options,
    notReproduced,
    (result, sockspec, rerun) => `${sockspec} check-client ${protocol} ${rerun} --only ${result.id} --seed ${result.detail.seed}`,
  );

/** The client rules the selection names, or a usage error when it names none (or a rule there is not). */
function selectedClientRules(spec: ProtocolSpec, only?: readonly string[], exclude?: readonly string[]) {
  let selected;
  try {
    selected = selectFrom(spec.clientRules ?? [], spec.protocol, only, exclude);
  } catch (error) {
    throw new UsageError((error as Error).message);
  }
  if (selected.length === 0) throw new UsageError("the selection leaves no rule to check");
  return selected;
}

const list = (value: string | undefined) =>
  value
    ?.split(",")
    .map((id) => id.trim())
    .filter(Boolean);

export async function runCheckClient(args: string[]): Promise<number> {
  const { values, positionals } = parse(args, options, "check-client");
  const { module } = await chosenProtocol(positionals, values.protocol, "check-client", (m) => m.clientChecks !== undefined);
  if (!module.clientChecks) throw new UsageError(`${module.spec.protocol} has no client rules`);
  if (values.spawn === undefined || values.spawn.trim() === "") throw new UsageError("check-client needs --spawn CMD: the command that starts the client");
  if (values.driver !== undefined && !existsSync(values.driver)) throw new UsageError(`--driver: no file ${values.driver}`);
  const [only, exclude] = [list(values.only), list(values.exclude)];
  const selected = selectedClientRules(module.spec, only, exclude);
  const seed = integerOption("seed", values.seed, -(2 ** 31), 2 ** 31 - 1);
  const runs = integerOption("runs", values.runs, 1, 1_000_000);
  const replyMs = integerOption("timeout", values.timeout, 1, 600_000);
  const maxTimeS = integerOption("max-time", values["max-time"], 1, 86_400);
  const catalogue = clientCatalogue(module.spec);
  const rubric = rubricOption(values.rubric, { ...module, spec: catalogue });
  const outputs = reportOutputs(values.reporter ?? "human", values.out);
  const baselineMode = values["baseline-update"] ? "update" : values["baseline-prune"] ? "prune" : undefined;
  if (baselineMode && values.baseline === undefined) throw new UsageError(`--baseline-${baselineMode} needs --baseline FILE`);
  if (values["baseline-update"] && values["baseline-prune"]) throw new UsageError("give --baseline-update or --baseline-prune, not both");
  const baseline = values.baseline === undefined ? undefined : readBaseline(values.baseline, module.spec.protocol, baselineMode === "update");
  const writer = new ReportWriter(outputs);
  writer.expectWritable();
  if (baselineMode) expectWritable(values.baseline!, `--baseline-${baselineMode}`);
  const output = new RunOutput({
    command: "check-client",
    writer,
    color: writer.humanOnTerminal && process.stdout.isTTY === true && !process.env.NO_COLOR,
    reproduce: reproduceLine(args, module.spec.protocol),
    selected,
    strict: values.strict ?? false,
    score: (report) => scoreReport(report, rubric, catalogue),
  });
  let checked;
  try {
    checked = await checkClient({
      protocol: module,
      spawn: values.spawn,
      driver: values.driver,
      seed,
      runs,
      only,
      exclude,
      strict: values.strict ?? false,
      timeouts: replyMs !== undefined ? { replyMs } : {},
      maxTimeMs: maxTimeS === undefined ? undefined : maxTimeS * 1000,
      onStart: output.started,
      onResult: output.result,
      onProgress: output.progressed,
    });
  } catch (error) {
    output.dispose();
    // A bad driver file is the user's input.
    if (error instanceof RangeError || /^bad client driver/.test((error as Error).message)) throw new UsageError((error as Error).message);
    throw error;
  }
  const report = output.finish(checked);
  const { code, why } = runExit({
    report,
    maxTimeS,
    baseline: values.baseline === undefined ? undefined : () => applyBaseline(report, values.baseline!, baseline, baselineMode, output.human),
  });
  if (why) process.stderr.write(`sockspec: ${why}\n`);
  return code;
}
