import { formatTranscript } from "../../transport/transcript.js";
import { coverage, isUnmet, outcomeCounts, outcomeWords, verdictLine, type Outcome, type Report, type RuleResult } from "../report.js";
import { detailFields } from "./fields.js";
import type { Progress } from "../runner.js";

export interface HumanOptions {
  color: boolean;
}

const colors: Record<Outcome, string> = { pass: "32", fail: "31", "non-strict": "33", timeout: "35", skip: "90" };
const labelWidth = Math.max(...Object.values(outcomeWords).map((word) => word.length));

const indent = (text: string, by: string) => text.replace(/^/gm, by);

/** The report header: what is checked, with which seed and how many runs. */
export function formatHeader(report: Pick<Report, "protocol" | "target" | "seed" | "runs" | "limits">, command = "check"): string {
  const limits = Object.entries(report.limits ?? {}).map(([name, value]) => `, ${name} ${value}`);
  return `sockspec ${command} ${report.protocol}: ${report.target} (seed ${report.seed}, ${report.runs} runs${limits.join("")})\n`;
}

/** One rule's result: a status line, and for anything but a pass the why, the transcript and how to rerun. */
export function formatResult(result: RuleResult, options: HumanOptions): string {
  const paint = (text: string) => (options.color ? `\x1b[${colors[result.outcome]}m${text}\x1b[0m` : text);
  const label = outcomeWords[result.outcome].toUpperCase();
  const { detail } = result;
  const lines = [`${paint(label)}${" ".repeat(labelWidth - label.length)}  ${result.id.padEnd(32)} ${result.level.padEnd(6)} ${detail.message}`];
  if (isUnmet(result)) {
    if (detail.statement) lines.push(indent(detail.statement, "      "));
    // The seed and the case are in the reproduce line, which comes last.
    const field = (label: string, value: string | number) => `      ${`${label}:`.padEnd(16)}${String(value).replaceAll("\n", `\n${" ".repeat(22)}`)}`;
    for (const f of detailFields(detail).filter((f) => !["statement", "seed", "case", "reproduce"].includes(f.key))) lines.push(field(f.label, f.value));
    if (detail.transcript) lines.push("      transcript:", indent(formatTranscript(detail.transcript), "        "));
    if (detail.reproduce !== undefined) lines.push(field("reproduce", detail.reproduce));
  }
  return `${lines.join("\n")}\n`;
}

/** Where a rule is, in a few words: `property run 3 of 10`, or a shrinking attempt. */
export function describeProgress(progress: Progress): string {
  return progress.shrinking ? `shrinking a counterexample (attempt ${progress.run})` : `property run ${progress.run} of ${progress.of}`;
}

/**
 * A status line on a terminal, rewritten and never logged: what each rule under way is doing. Rules run
 * side by side, so it holds one entry per rule, in the order they started.
 */
export class ProgressBoard {
  private readonly doing = new Map<string, string>();
  private shown = false;

  constructor(
    private readonly enabled: boolean,
    private readonly width = () => process.stdout.columns || 100,
  ) {}

  set(id: string, text: string): void {
    if (!this.enabled) return;
    this.doing.set(id, text);
    process.stdout.write(this.clear() + this.line());
  }

  done(id: string): void {
    this.doing.delete(id);
  }

  /** The board's line, to write after a result (nothing when no rule is under way). */
  line(): string {
    if (!this.enabled || this.doing.size === 0) return "";
    this.shown = true;
    const text = [...this.doing].map(([id, what]) => `${id}: ${what}`).join(" | ");
    return `      ${text}`.slice(0, this.width() - 1);
  }

  /** Clears the board's line before something else is written (nothing when it is not shown). */
  clear(): string {
    if (!this.shown) return "";
    this.shown = false;
    return "\r\x1b[K";
  }
}

/** How much was checked, the counts, the reasons rules went unchecked, and the verdict with what it means. */
export function formatSummary(report: Report): string {
  const { summary } = report;
  const { headline, notChecked } = coverage(report);
  const lines = [`${headline}: ${outcomeCounts(summary)}${summary.skip > 0 ? `; ${summary.skip} not checked:` : "."}`];
  for (const { rules, reason } of notChecked) lines.push(`  ${rules} ${reason}`);
  lines.push(verdictLine(report));
  return `\n${lines.join("\n")}\n`;
}

/** What a replay of one case came to: it fails still, passes now, or (timing-dependent) did not fail again. */
export function formatReplaySummary(result: RuleResult): string {
  if (isUnmet(result)) return "\nREPRODUCED: the case still fails\n";
  if (result.outcome === "pass") return "\nPASSES NOW: the case no longer fails\n";
  return `\nNOT REPRODUCED: ${result.detail.message.replace(/^not reproduced /, "")}\n`;
}

/** The whole report as text (the CLI prints the same pieces as they come). */
export function formatHuman(report: Report, options: HumanOptions): string {
  return formatHeader(report) + report.rules.map((r) => formatResult(r, options)).join("") + formatSummary(report);
}
