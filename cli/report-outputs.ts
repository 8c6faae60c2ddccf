import { accessSync, appendFileSync, constants, existsSync, statSync, writeFileSync } from "node:fs";
import path from "node:path";
import { formatHuman, type HumanOptions } from "../conformance/reporters/human.js";
import { formatHtml } from "../conformance/reporters/html.js";
import { formatJunit } from "../conformance/reporters/junit.js";
import { formatTap } from "../conformance/reporters/tap.js";
import { formatClassroom, formatGithubAnnotations, formatGithubSummary, formatGradescope } from "../conformance/reporters/platforms.js";
import type { Report, RuleResult } from "../conformance/report.js";
import type { Scored } from "../conformance/rubric.js";
import { UsageError } from "../conformance/usage.js";
import { REPORTERS } from "./check-options.js";

export type ReporterName = (typeof REPORTERS)[number];

/** What a reporter is given: whether to color, and the report graded by the run's rubric. */
export interface ReportContext extends HumanOptions {
  scored: Scored;
}

/** How a reporter writes a report. */
interface Reporter {
  format(report: Report, context: ReportContext): string;
  /** Its file is one that others write too ($GITHUB_OUTPUT, $GITHUB_STEP_SUMMARY): the report is appended to it. */
  appends?: true;
  /** What it also prints on standard output, wherever its report goes (GitHub's workflow commands). */
  toStdout?(report: Report, context: ReportContext): string;
}

/** Each reporter. */
export const reporters: Record<ReporterName, Reporter> = {
  human: { format: formatHuman },
  json: { format: (report) => `${JSON.stringify(report, null, 2)}\n` },
  tap: { format: formatTap },
  junit: { format: formatJunit },
  html: { format: formatHtml },
  // The rules went out as they finished; the last line is what the run came to.
  ndjson: { format: ({ rules: _rules, ...run }) => `${JSON.stringify(run)}\n` },
  gradescope: { format: (report, { scored }) => formatGradescope(report, scored) },
  classroom: { format: (report, { scored }) => formatClassroom(report, scored), appends: true },
  github: {
    format: (report, { scored }) => formatGithubSummary(report, scored),
    appends: true,
    toStdout: (report, { scored }) => formatGithubAnnotations(report, scored),
  },
};

/** One report a run writes: in a reporter's format, to a file or (no file) to standard output. */
export interface ReportOutput {
  reporter: ReporterName;
  file?: string;
  /** The file came from --out rather than NAME:FILE: what a message about it names. */
  fromOut?: true;
}

const isReporter = (name: string): name is ReporterName => (REPORTERS as readonly string[]).includes(name);

/**
 * The reports a run writes, from `--reporter` (`NAME` or `NAME:FILE`, comma-separated, as Playwright takes
 * several) and `--out FILE` (the file of the one reporter given without one). At most one goes to standard
 * output; each file at most once.
 */
export function reportOutputs(reporter: string, out: string | undefined): ReportOutput[] {
  const outputs = reporter.split(",").map((entry): ReportOutput => {
    const [name, ...file] = entry.trim().split(":");
    if (!isReporter(name!)) throw new UsageError(`--reporter must be one of ${REPORTERS.join(", ")} (NAME or NAME:FILE, comma-separated), got "${name}"`);
    if (file.length > 0 && file.join(":") === "") throw new UsageError(`--reporter ${name}: no file after the colon`);
    return { reporter: name!, ...(file.length > 0 ? { file: file.join(":") } : {}) };
  });
  const withoutFile = outputs.filter((output) => output.file === undefined);
  if (out !== undefined) {
    if (withoutFile.length !== 1) throw new UsageError("--out names the file of the one reporter given without one: give the others theirs (NAME:FILE)");
    Object.assign(withoutFile[0]!, { file: out, fromOut: true });
  } else if (withoutFile.length > 1) {
    throw new UsageError(
      `only one report can go to standard output, and ${withoutFile.map((o) => o.reporter).join(", ")} have no file: give the others theirs (NAME:FILE)`,
    );
  }
  const files = outputs.flatMap((output) => (output.file === undefined ? [] : [path.resolve(output.file)]));
  const twice = files.find((file, i) => files.indexOf(file) !== i);
  if (twice !== undefined) throw new UsageError(`two reports would be written to ${twice}`);
  return outputs;
}

/** A file the run will write: its folder must exist and be writable, and the file, if there, too. */
export function expectWritable(file: string, option: string): void {
  const folder = path.dirname(path.resolve(file));
  if (!existsSync(folder) || !statSync(folder).isDirectory()) throw new UsageError(`${option}: no folder ${folder} to write ${file} in`);
  const existing = existsSync(file) ? statSync(file) : undefined;
  if (existing?.isDirectory()) throw new UsageError(`${option}: ${file} is a folder`);
  try {
    accessSync(existing ? file : folder, constants.W_OK);
  } catch {
    throw new UsageError(`${option}: ${file} cannot be written`);
  }
}

/**
 * Writes a run's reports: ndjson lines as rules finish, every report once the run is over. A file is
 * written only once the run has begun (its arguments checked, its target reached); a report that cannot be
 * written to its file goes to standard output instead, and `failed` says why.
 */
export class ReportWriter {
  /** Why a report could not be written to its file, if one could not. */
  failed: string | undefined;
  /** The human report goes to the terminal as the run goes (progress, each rule, the summary): no other report takes standard output. */
  readonly humanOnTerminal: boolean;
  private readonly begun = new Set<ReportOutput>();
  /** Outputs whose file could not be written: the rest of their report goes to standard output too. */
  private readonly lost = new Set<ReportOutput>();

  constructor(private readonly outputs: readonly ReportOutput[]) {
    const onStdout = outputs.find((output) => output.file === undefined);
    this.humanOnTerminal = onStdout === undefined || onStdout.reporter === "human";
  }

  /** Checks, before the first rule runs, that every file can be written: a run is never lost to a bad path. */
  expectWritable(): void {
    for (const output of this.outputs) if (output.file !== undefined) expectWritable(output.file, output.fromOut ? "--out" : `--reporter ${output.reporter}`);
  }

  /** A rule's line in the ndjson reports, as soon as the rule is known. */
  rule(result: RuleResult): void {
    for (const output of this.outputs) if (output.reporter === "ndjson") this.write(output, `${JSON.stringify(result)}\n`);
  }

  /**
   * Every report of the run: the human one on the terminal only when it is not there already (`terminal:
   * "whole"`: a report made from a saved one, rather than told as the run went).
   */
  finish(report: Report, scored: Scored, { terminal = "told" }: { terminal?: "told" | "whole" } = {}): void {
    for (const output of this.outputs) {
      const reporter = reporters[output.reporter];
      const color = output.file === undefined && process.stdout.isTTY === true && !process.env.NO_COLOR;
      if (reporter.toStdout) process.stdout.write(reporter.toStdout(report, { color, scored }));
      if (output.reporter === "human" && output.file === undefined && terminal === "told") continue;
      this.write(output, reporter.format(report, { color, scored }));
    }
  }

  private write(output: ReportOutput, text: string): void {
    // A pipe takes it at its own pace: a synchronous write to a full pipe fails with EAGAIN.
    if (output.file === undefined || this.lost.has(output)) return void process.stdout.write(text);
    try {
      (this.begun.has(output) || reporters[output.reporter].appends ? appendFileSync : writeFileSync)(output.file, text);
      this.begun.add(output);
    } catch (error) {
      const why = (error as NodeJS.ErrnoException).code ?? String(error);
      this.failed ??= why;
      this.lost.add(output);
      process.stderr.write(`sockspec: could not write to ${output.file} (${why}): the ${output.reporter} report goes to standard output instead\n`);
      process.stdout.write(text);
    }
  }
}
