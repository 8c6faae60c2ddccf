import type { Note, Progress } from "../conformance/runner.js";
import { describeProgress, formatHeader, formatResult, formatSummary, ProgressBoard } from "../conformance/reporters/human.js";
import { summarize, type Report, type RuleResult } from "../conformance/report.js";
import type { Scored } from "../conformance/rubric.js";
import type { Rule } from "../spec/protocol.js";
import type { ReportWriter } from "./report-outputs.js";

/** Off a terminal, waits at least this long are announced on a line of their own. */
const LONG_WAIT_MS = 5000;

type Header = Pick<Report, "protocol" | "target" | "seed" | "runs" | "limits">;

export interface RunOutputOptions {
  /** The command that runs ("check", "check-client"), for the header. */
  command: string;
  writer: ReportWriter;
  /** Whether the human report on the terminal is in colour. */
  color: boolean;
  /** Adds a rule's reproduce line (cli/reproduce.ts). */
  reproduce: (result: RuleResult) => RuleResult;
  /** The rules the run checks, for the report of a run a signal stops. */
  selected: ReadonlyArray<Pick<Rule, "id" | "level">>;
  strict: boolean;
  /** The report's score, for the reporters that grade. */
  score: (report: Report) => Scored;
}

/**
 * What a check run shows and writes as it goes: the header, each rule's result as it is told, with its
 * reproduce line, a progress line on a terminal (rewritten, never logged), and the report at the end.
 * Stopped by a signal, the run writes the report of what it checked before it ends (spawn.ts's handlers
 * then end it and what it started): the rules told so far, and the others as not finished. A promise the
 * kit left unhandled is the kit's bug, not the implementation's: it does not end the run before its report
 * is written, and is told once it is out.
 */
export class RunOutput {
  /** The human report goes to the terminal as the run goes. */
  readonly human: boolean;
  private readonly progress: boolean;
  private readonly board: ProgressBoard;
  private header: Header | undefined;
  private readonly told: RuleResult[] = [];
  private readonly unhandled: unknown[] = [];
  private readonly signals = ["SIGINT", "SIGTERM", "SIGHUP"] as const;

  constructor(private readonly options: RunOutputOptions) {
    this.human = options.writer.humanOnTerminal;
    this.progress = this.human && process.stdout.isTTY === true;
    this.board = new ProgressBoard(this.progress);
    process.on("unhandledRejection", this.keep);
    for (const signal of this.signals) process.prependListener(signal, this.onSignal);
  }

  /** The callbacks a runner reports to. */
  readonly started = (header: Header) => {
    this.header = header;
    if (this.human) process.stdout.write(formatHeader(header, this.options.command));
  };

  readonly result = (result: RuleResult) => {
    this.board.done(result.id);
    const shown = this.options.reproduce(result);
    this.told.push(shown);
    if (this.human) process.stdout.write(this.board.clear() + formatResult(shown, { color: this.options.color }) + this.board.line());
    this.options.writer.rule(shown);
  };

  readonly progressed = (at: Progress) => this.board.set(at.id, describeProgress(at));

  /** A long wait: on the progress line, or off a terminal on a line of its own, so that a silent minute is never a mystery. */
  readonly noted = (note: Note) => {
    if (this.progress) this.board.set(note.id, note.text);
    else if (note.ms >= LONG_WAIT_MS) process.stderr.write(`sockspec: ${note.id}: ${note.text}\n`);
  };

  /**
   * Writes the run's report (reproduce lines added), its summary on the terminal (`summary`, the usual one
   * by default), and stops listening; returns the report. A kit error left unhandled is told on stderr.
   */
  finish(checked: Report, summary: (report: Report) => string = formatSummary): Report {
    const report = { ...checked, rules: checked.rules.map(this.options.reproduce) };
    process.stdout.write(this.board.clear());
    if (this.human) process.stdout.write(summary(report));
    this.options.writer.finish(report, this.options.score(report));
    this.dispose();
    if (this.unhandled.length > 0)
      process.stderr.write(`sockspec: internal error (the report is written): ${String((this.unhandled[0] as Error)?.stack ?? this.unhandled[0])}\n`);
    return report;
  }

  /** Whether the kit left a promise unhandled during the run: its own bug, for exit code 70. */
  get internalError(): boolean {
    return this.unhandled.length > 0;
  }

  /** Stops listening for signals and unhandled rejections (finish does it). */
  dispose(): void {
    process.off("unhandledRejection", this.keep);
    for (const signal of this.signals) process.off(signal, this.onSignal);
  }

  private readonly keep = (error: unknown) => {
    this.unhandled.push(error);
  };

  private readonly onSignal = (signal: NodeJS.Signals) => {
    if (this.header === undefined) return;
    const stopped = `not finished: the run was stopped by ${signal}`;
    const rest = this.options.selected.filter((rule) => !this.told.some((r) => r.id === rule.id));
    const rules = [...this.told, ...rest.map((rule) => ({ id: rule.id, level: rule.level, outcome: "skip" as const, detail: { message: stopped } }))];
    const { strict } = this.options;
    const report: Report = { ...this.header, strict, interrupted: true, rules, summary: { ...summarize(rules, strict), ok: false } };
    process.stdout.write(this.board.clear());
    if (this.human) process.stdout.write(formatSummary(report));
    this.options.writer.finish(report, this.options.score(report));
    process.stderr.write(`sockspec: stopped by ${signal}: the report holds the ${this.told.length} rule(s) told so far, the others as not finished\n`);
  };
}
