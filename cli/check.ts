import { writeFileSync } from "node:fs";
import { EXIT, runExit } from "../conformance/exit-code.js";
import { formatReplaySummary } from "../conformance/reporters/human.js";
import { selectRules, type RuleResult } from "../conformance/report.js";
import type { Rule } from "../spec/protocol.js";
import { checkProtocol, type TargetOption } from "../conformance/runner.js";
import { checkOptionEntries, optionsHelp, parseOptions } from "./check-options.js";
import { expectWritable, reportOutputs, ReportWriter, type ReportOutput } from "./report-outputs.js";
import { rubricOption } from "./rubric-option.js";
import { applyBaseline, readBaseline } from "./baseline-option.js";
import { reproduceWith } from "./reproduce.js";
import { RunOutput } from "./run-output.js";
import { scoreReport } from "../conformance/rubric.js";
import { checksProblem } from "../protocols/protocol-module.js";
import { chosenProtocol } from "./protocol-option.js";
import type { CaseId } from "../conformance/case-id.js";
import { resetTarget } from "../conformance/reset.js";
import type { ResourceLimits } from "../conformance/containment.js";
import { mergeOptions, readConfig } from "./config.js";
import { integerOption, limitOptions, parse, portOption, serverUrlOption, UsageError } from "../conformance/usage.js";

export const checkHelp = `Usage: sockspec check <protocol> [options]

Checks a server against every rule of the protocol's catalogue. With neither --port nor --spawn it
checks the built-in reference server.

${optionsHelp()}

The summary says how many rules were checked: a run that skipped some is PARTIAL, never OK.

Exit code: 0 when no MUST failed (with --strict, no SHOULD either; with --fail-on-skip, no rule skipped),
1 otherwise, 2 for bad arguments, a target that cannot be reached or started, an interrupted run, or a
run in which every selected rule was skipped; 70 for a bug of the kit's own (the report is written).`;

const options = parseOptions;

/** Options that say where a run's report goes or which rules it checks: a reproduce line leaves them out. */
const notReproduced = new Set(checkOptionEntries.flatMap(([flag, option]) => (option.notReproduced ? [flag] : [])));

/**
 * How a failure is run again (see reproduceWith): a failure with a case ID by \`sockspec replay\`, one in a
 * fixture replay by a check of that rule alone.
 */
function reproduceLine(args: string[], protocol: string): (result: RuleResult) => RuleResult {
  return reproduceWith(args, protocol, options, notReproduced, (result, sockspec, rerun) =>
    result.detail.case !== undefined
      ? `${sockspec} replay ${result.detail.case} ${rerun}`
      : `${sockspec} check ${protocol} ${rerun} --only ${result.id}${result.detail.seed !== undefined ? ` --seed ${result.detail.seed}` : ""}`,
  );
}

type Values = ReturnType<typeof parse<typeof options>>["values"];

/**
 * `sockspec check`, or with `replay` (from `sockspec replay`) the one counterexample it names: only its
 * rule, with its seed and path.
 */
export async function runCheck(args: string[], replay?: CaseId): Promise<number> {
  const cli = parse(args, options, replay ? "replay" : "check");
  const config = readConfig(cli.values.config);
  // A replay reports to the terminal unless told otherwise on its own command line: a config's report file
  // is the full run's, not the replay's.
  const fromConfig = replay ? { ...config.values, out: undefined, reporter: undefined } : config.values;
  const merged = mergeOptions(fromConfig, cli.values) as Values;
  const values = { ...merged, reporter: merged.reporter ?? "human", strict: merged.strict ?? false };
  const positionals = cli.positionals.length > 0 || config.protocol === undefined ? cli.positionals : [config.protocol];
  const { module, builtIn } = await chosenProtocol(positionals, values.protocol, replay ? "replay" : "check");
  const problem = builtIn ? undefined : checksProblem(module.spec, await module.checks());
  if (problem) throw new UsageError(`--protocol: ${problem}`);
  const { protocol } = module.spec;
  const outputs = reportOutputs(values.reporter, values.out);
  const rubric = rubricOption(values.rubric, module);
  if (values.url !== undefined) {
    if (module.spec.transport !== "http") throw new UsageError(`--url is for HTTP protocols; ${protocol} takes --host and --port`);
    if ((cli.values.host ?? cli.values.port ?? cli.values.spawn) !== undefined) throw new UsageError("give --url or --host/--port/--spawn, not both");
    const { host, port } = serverUrlOption("url", values.url);
    Object.assign(values, { host, port: String(port), spawn: undefined }); // over a config file's target
  }
  if (values.port !== undefined && values.spawn !== undefined) throw new UsageError("give either --port or --spawn, not both");
  if (values.host !== undefined && values.port === undefined && values.spawn === undefined) throw new UsageError("--host needs --port or --spawn");
  const host = values.host ?? "127.0.0.1";
  const port = portOption(values.port);
  if (port === 0) throw new UsageError("--port must name the port the server listens on, not 0");
  const [only, exclude] = [values.only, values.exclude].map((list) =>
    list
      ?.split(",")
      .map((id) => id.trim())
      .filter(Boolean),
  );
  let selected: Rule[];
  try {
    selected = selectRules(module.spec, only, exclude);
  } catch (error) {
    throw new UsageError((error as Error).message);
  }
  if (selected.length === 0) throw new UsageError("the selection leaves no rule to check");
  if (values.reset !== undefined && port === undefined) throw new UsageError("--reset needs --port (or --url): the running server it resets");
  const resources = resourceLimits(values);
  if (Object.keys(resources).length > 0 && values.spawn === undefined)
    throw new UsageError(`--${Object.keys(RESOURCE_OPTIONS)[0]} and the other --spawn-* limits need --spawn: they limit a server the run starts`);
  const target: TargetOption | undefined =
    values.spawn !== undefined
      ? { spawn: values.spawn, host, resources }
      : port !== undefined
        ? values.reset !== undefined
          ? resetTarget(host, port, values.reset)
          : { host, port }
        : undefined;
  const replyMs = integerOption("timeout", values.timeout, 1, 600_000);
  const udpRetries = integerOption("udp-retries", values["udp-retries"], 0, 10);
  if (udpRetries !== undefined && module.spec.transport !== "udp") throw new UsageError(`--udp-retries is for UDP protocols; ${protocol} is not one`);
  const limits = limitOptions(protocol, values.limit ?? [], module.tunableLimits, module.limitsProblem);

  if (values.list) return listRules(selected, outputs[0]!);
  const baselineMode = values["baseline-update"] ? "update" : values["baseline-prune"] ? "prune" : undefined;
  if (baselineMode && values.baseline === undefined) throw new UsageError(`--baseline-${baselineMode} needs --baseline FILE`);
  if (values["baseline-update"] && values["baseline-prune"]) throw new UsageError("give --baseline-update or --baseline-prune, not both");
  const baseline = values.baseline === undefined ? undefined : readBaseline(values.baseline, protocol, baselineMode === "update");
  // Where the run's results go is checked before the first rule runs: a run is never lost to a bad path.
  const writer = new ReportWriter(outputs);
  writer.expectWritable();
  if (baselineMode) expectWritable(values.baseline!, `--baseline-${baselineMode}`);

  // Progress and the human report go to the terminal unless another report is meant for stdout.
  const toTerminal = outputs.some((output) => output.reporter === "human" && output.file === undefined);
  const seed = integerOption("seed", values.seed, -(2 ** 31), 2 ** 31 - 1);
  const maxTimeS = integerOption("max-time", values["max-time"], 1, 86_400);
  const runs = integerOption("runs", values.runs, 1, 1_000_000);
  const jobs = integerOption("jobs", values.jobs, 1, 256);
  const verify = integerOption("verify", values.verify, 2, 100);
  if (verify !== undefined && replay) throw new UsageError("replay runs one case: --verify checks whole rules on several seeds");
  const output = new RunOutput({
    command: "check",
    writer,
    color: toTerminal && process.stdout.isTTY === true && !process.env.NO_COLOR,
    reproduce: reproduceLine(args, protocol),
    selected,
    strict: values.strict,
    score: (report) => scoreReport(report, rubric, module.spec),
  });
  const checked = await checkProtocol({
    protocol: module,
    target,
    seed,
    runs,
    only,
    exclude,
    limits,
    shrinkTimeMs: integerOption("shrink-time", values["shrink-time"], 0, 3_600_000),
    path: replay?.path,
    maxTimeMs: maxTimeS === undefined ? undefined : maxTimeS * 1000,
    strict: values.strict,
    failOnSkip: values["fail-on-skip"] ?? false,
    jobs,
    verify,
    timeouts: { ...(replyMs !== undefined ? { replyMs } : {}), ...(udpRetries !== undefined ? { udpRetries } : {}) },
    onStart: output.started,
    onResult: output.result,
    onProgress: output.progressed,
    onNote: output.noted,
  });
  const report = output.finish(checked, replay ? (finished) => formatReplaySummary(finished.rules[0]!) : undefined);
  const { code, why } = runExit({
    report,
    internalError: output.internalError,
    timingReplay: replay !== undefined && module.spec.rules.find((r) => r.id === replay.rule)?.timing === true,
    baseline: values.baseline === undefined ? undefined : () => applyBaseline(report, values.baseline!, baseline, baselineMode, output.human),
    maxTimeS,
  });
  if (why) process.stderr.write(`sockspec: ${why}\n`);
  // A report that did not reach its file is not where a CI step looks for it: the run is no success.
  return writer.failed !== undefined && code < EXIT.notChecked ? EXIT.notChecked : code;
}

/**
 * `--list`: the catalogue the selection resolves to, touching no server (like h2spec's --dryrun): JSON
 * with `--reporter json`, otherwise a line per rule; to the (first) reporter's file when given.
 */
function listRules(rules: Rule[], { reporter, file: out }: ReportOutput): number {
  const text =
    reporter === "json"
      ? `${JSON.stringify(rules, null, 2)}\n`
      : `${rules.map((rule) => `${rule.id.padEnd(32)} ${rule.level.padEnd(6)} ${rule.needs.padEnd(15)} ${rule.statement}\n`).join("")}${rules.length} rules\n`;
  if (out === undefined) process.stdout.write(text);
  else writeFileSync(out, text);
  return 0;
}

/** The --spawn-* options and the resource limit each sets, with the most each takes. */
const RESOURCE_OPTIONS = {
  "spawn-memory": ["memoryMiB", 1_048_576],
  "spawn-cpu": ["cpuSeconds", 86_400],
  "spawn-processes": ["processes", 1_000_000],
  "spawn-file-size": ["fileSizeMiB", 1_048_576],
} as const;

/** The resource limits a spawned server runs with, from the --spawn-* options given. */
function resourceLimits(values: Partial<Record<keyof typeof RESOURCE_OPTIONS, string>>): ResourceLimits {
  const limits: ResourceLimits = {};
  for (const [flag, [key, most]] of Object.entries(RESOURCE_OPTIONS)) {
    const value = integerOption(flag, values[flag as keyof typeof RESOURCE_OPTIONS], 1, most);
    if (value !== undefined) limits[key] = value;
  }
  return limits;
}
