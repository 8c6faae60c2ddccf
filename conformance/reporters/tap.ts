import { formatTranscript } from "../../transport/transcript.js";
import { countsAgainst, coverage, outcomeCounts, verdictLine, type Report, type RuleResult } from "../report.js";
import { detailFields } from "./fields.js";

/** A YAML scalar: JSON's double-quoted strings are valid YAML 1.2, escapes included. */
const scalar = (value: string | number) => (typeof value === "number" ? String(value) : JSON.stringify(value));
/** TAP directives start at `#`, so a `#` in a description or reason is escaped. */
const escapeHash = (text: string) => text.replaceAll("\\", "\\\\").replaceAll("#", "\\#");

function diagnostics(result: RuleResult): string[] {
  const { detail } = result;
  const fields: Array<[string, string | number | undefined]> = [
    ["level", result.level],
    ["message", detail.message],
    ...detailFields(detail).map((f): [string, string | number] => [f.key, f.value]),
    ["path", detail.path],
    ["ms", detail.ms],
  ];
  const lines = ["  ---", ...fields.filter(([, v]) => v !== undefined).map(([k, v]) => `  ${k}: ${scalar(v!)}`)];
  // formatTranscript quotes every payload as JSON, so the block holds printable text only.
  if (detail.transcript)
    lines.push(
      "  transcript: |-",
      ...formatTranscript(detail.transcript)
        .split("\n")
        .map((l) => `    ${l}`),
    );
  lines.push("  ...");
  return lines;
}

/**
 * The report as TAP version 14: one test point per rule, in catalogue order. A skipped rule is `# SKIP`;
 * an unmet SHOULD is `not ok ... # TODO` unless the run is strict, so TAP consumers judge it as sockspec
 * does. Failures carry YAML diagnostics: expected, actual, counterexample, seed and transcript.
 */
export function formatTap(report: Report): string {
  const lines = [
    "TAP version 14",
    `# sockspec check ${report.protocol}: ${report.target} (seed ${report.seed}, ${report.runs} runs)`,
    `1..${report.rules.length}`,
  ];
  report.rules.forEach((result, i) => {
    const point = `${i + 1} - ${escapeHash(result.id)}`;
    switch (result.outcome) {
      case "pass":
        lines.push(`ok ${point}`);
        break;
      case "skip":
        lines.push(`ok ${point} # SKIP ${escapeHash(result.detail.message)}`);
        break;
      case "non-strict":
      case "timeout":
        // An unmet SHOULD fails only a strict run: TAP's TODO is a failure that does not fail the run.
        lines.push(countsAgainst(result, report.strict) ? `not ok ${point}` : `not ok ${point} # TODO unmet ${result.level}`, ...diagnostics(result));
        break;
      case "fail":
        lines.push(`not ok ${point}`, ...diagnostics(result));
        break;
    }
  });
  const { summary } = report;
  const { headline, notChecked } = coverage(report);
  lines.push(
    `# ${headline}: ${outcomeCounts(summary)}, ${summary.skip} not checked`,
    ...notChecked.map(({ rules, reason }) => `# not checked: ${rules} ${escapeHash(reason)}`),
    `# ${escapeHash(verdictLine(report))}`,
  );
  return `${lines.join("\n")}\n`;
}
