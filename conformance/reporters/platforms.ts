import { formatTranscript } from "../../transport/transcript.js";
import { verdictLine, type Report } from "../report.js";
import type { Scored, ScoredRule } from "../rubric.js";
import { detailFields } from "./fields.js";

/** What a student reads of a rule: its statement, what the run found, and how to run the failure again. */
function ruleText(rule: ScoredRule): string {
  const { detail } = rule.result;
  const lines = [`${rule.result.outcome}: ${detail.message}`, ...detailFields(detail).map((field) => `${field.label}: ${field.value}`)];
  if (detail.transcript && rule.result.outcome !== "pass") lines.push(`transcript:\n${formatTranscript(detail.transcript)}`);
  return lines.join("\n");
}

const earnedAll = (rule: ScoredRule) => rule.score >= rule.max;

/**
 * Gradescope's results.json (https://gradescope-autograders.readthedocs.io/en/latest/specs/): a test per
 * graded rule, numbered by part, with its score, its text and its visibility; the total score and the
 * run's verdict as the submission's output.
 */
export function formatGradescope(report: Report, scored: Scored): string {
  const partNumber = new Map(scored.parts.map((part, i) => [part.name, i + 1]));
  const seen = new Map<string, number>();
  const tests = scored.rules.map((rule) => {
    const inPart = (seen.get(rule.part) ?? 0) + 1;
    seen.set(rule.part, inPart);
    return {
      name: `${rule.id} (${rule.result.level})`,
      number: `${partNumber.get(rule.part)}.${inPart}`,
      score: rule.score,
      max_score: rule.max,
      status: earnedAll(rule) ? "passed" : "failed",
      output: ruleText(rule),
      tags: [rule.part, rule.result.level],
      visibility: rule.visibility,
    };
  });
  const output = [
    `${scored.rubric}: ${scored.score} of ${scored.max} points`,
    ...scored.parts.map((p) => `  ${p.name}: ${p.score} of ${p.max}`),
    verdictLine(report),
  ];
  return `${JSON.stringify({ score: scored.score, output: output.join("\n"), tests }, null, 2)}\n`;
}

/**
 * GitHub Classroom's runner result, as its grading reporter (education/autograding-grading-reporter) reads
 * it from a step output: `result=` and the result as base64 JSON, a line to append to $GITHUB_OUTPUT.
 */
export function formatClassroom(_report: Report, scored: Scored): string {
  const result = {
    version: 1,
    status: scored.rules.every(earnedAll) ? "pass" : "fail",
    max_score: scored.max,
    tests: scored.rules.map((rule) => ({
      name: rule.id,
      status: earnedAll(rule) ? "pass" : "fail",
      message: ruleText(rule),
      score: rule.score,
      line_no: 0,
      execution_time: `${((rule.result.detail.ms ?? 0) / 1000).toFixed(1)}s`,
    })),
  };
  return `result=${Buffer.from(JSON.stringify(result)).toString("base64")}\n`;
}

/** Text for a GitHub workflow command's message or property: its newlines and percent signs escaped. */
const commandText = (text: string) => text.replaceAll("%", "%25").replaceAll("\r", "%0D").replaceAll("\n", "%0A");
const commandProperty = (text: string) => commandText(text).replaceAll(":", "%3A").replaceAll(",", "%2C");

/** One `::error` (unmet MUST) or `::warning` (unmet SHOULD) workflow command per rule not earned in full, for GitHub's annotations. */
export function formatGithubAnnotations(_report: Report, scored: Scored): string {
  return scored.rules
    .filter((rule) => !earnedAll(rule) && rule.result.outcome !== "pass")
    .map((rule) => {
      const level = rule.result.outcome === "non-strict" ? "warning" : "error";
      const { detail } = rule.result;
      const message = [detail.message, ...(detail.reproduce ? [`reproduce: ${detail.reproduce}`] : [])].join("\n");
      return `::${level} title=${commandProperty(`${rule.id} (${rule.score} of ${rule.max} points)`)}::${commandText(message)}\n`;
    })
    .join("");
}

/** A Markdown job summary ($GITHUB_STEP_SUMMARY): the score by part, and a row per rule not earned in full. */
export function formatGithubSummary(report: Report, scored: Scored): string {
  const cell = (text: string) => text.replaceAll("|", "\\|").replaceAll("\n", " ");
  const missed = scored.rules.filter((rule) => !earnedAll(rule));
  return [
    `## sockspec ${report.protocol}: ${scored.score} of ${scored.max} points`,
    "",
    `${cell(verdictLine(report))} (${scored.rubric})`,
    "",
    "| part | points |",
    "| --- | --- |",
    ...scored.parts.map((part) => `| ${cell(part.name)} | ${part.score} of ${part.max} |`),
    "",
    ...(missed.length > 0
      ? [
          "| rule | outcome | points | why |",
          "| --- | --- | --- | --- |",
          ...missed.map((r) => `| \`${r.id}\` | ${r.result.outcome} | ${r.score} of ${r.max} | ${cell(r.result.detail.message)} |`),
        ]
      : ["Every graded rule earned its points."]),
    "",
  ].join("\n");
}
