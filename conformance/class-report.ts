import type { Outcome } from "./report.js";
import type { Scored } from "./rubric.js";

/** One submission of a class, graded: its score by the rubric, or why it could not be checked. */
export interface GradedSubmission {
  name: string;
  /** The folder of its grades, beside the class page. */
  folder?: string;
  /** Undefined when the check could not judge the submission at all (its server would not start, say). */
  scored?: Scored;
  /** Why the check could not judge it, in one line. */
  problem?: string;
  seconds: number;
}

/** A CSV field: quoted when it holds a comma, a quote or a line break. */
const csvField = (value: string | number) => {
  const text = String(value);
  return /[",\n\r]/.test(text) ? `"${text.replaceAll('"', '""')}"` : text;
};

/**
 * The gradebook: a row per submission (its name, score, the rubric's maximum, then each graded rule's
 * outcome), in the order given; a submission that could not be checked scores 0 and says why.
 */
export function gradebookCsv(submissions: readonly GradedSubmission[], rules: readonly string[], max: number): string {
  const header = ["submission", "score", "max", ...rules, "problem"];
  const rows = submissions.map((s) => {
    const outcomes = new Map(s.scored?.rules.map((r) => [r.id, r.result.outcome]) ?? []);
    return [s.name, s.scored?.score ?? 0, max, ...rules.map((id) => outcomes.get(id) ?? "not checked"), s.problem ?? ""];
  });
  return `${[header, ...rows].map((row) => row.map(csvField).join(",")).join("\n")}\n`;
}

/** How the class did on one rule: how many submissions met it, of those graded on it. */
export interface RulePassRate {
  id: string;
  met: number;
  of: number;
}

/** Each graded rule's pass rate across the submissions that were checked, the least met first. */
export function passRates(submissions: readonly GradedSubmission[], rules: readonly string[]): RulePassRate[] {
  const checked = submissions.filter((s) => s.scored !== undefined);
  return rules
    .map((id) => {
      const outcomes: Outcome[] = checked.map((s) => s.scored!.rules.find((r) => r.id === id)?.result.outcome ?? "skip");
      return { id, met: outcomes.filter((o) => o === "pass").length, of: checked.length };
    })
    .sort((a, b) => a.met / Math.max(1, a.of) - b.met / Math.max(1, b.of) || a.id.localeCompare(b.id));
}

/** The class in a few lines: the scores, and the rules fewest submissions met. */
export function classSummary(submissions: readonly GradedSubmission[], rules: readonly string[], max: number): string {
  const scores = submissions.map((s) => s.scored?.score ?? 0).sort((a, b) => a - b);
  const median = scores.length === 0 ? 0 : (scores[Math.floor((scores.length - 1) / 2)]! + scores[Math.ceil((scores.length - 1) / 2)]!) / 2;
  const unchecked = submissions.filter((s) => s.scored === undefined);
  const rates = passRates(submissions, rules).filter((r) => r.met < r.of);
  return [
    `${submissions.length} submission(s): median ${median} of ${max}, lowest ${scores[0] ?? 0}, highest ${scores.at(-1) ?? 0}`,
    ...(unchecked.length > 0 ? [`${unchecked.length} could not be checked: ${unchecked.map((s) => `${s.name} (${s.problem})`).join("; ")}`] : []),
    ...(rates.length > 0 ? ["rules the class missed most:", ...rates.slice(0, 10).map((r) => `  ${r.id.padEnd(34)} met by ${r.met} of ${r.of}`)] : []),
  ].join("\n");
}

/** How many submissions scored in each tenth of the maximum: the first from 0, the last up to the maximum itself. */
export interface ScoreBand {
  from: number;
  to: number;
  submissions: number;
}

/** The score distribution, in ten bands of the rubric's maximum. */
export function scoreDistribution(submissions: readonly GradedSubmission[], max: number): ScoreBand[] {
  const bands = Array.from({ length: 10 }, (_, i) => ({ from: (max * i) / 10, to: (max * (i + 1)) / 10, submissions: 0 }));
  for (const s of submissions) {
    const score = s.scored?.score ?? 0;
    const band = max === 0 ? 0 : Math.min(9, Math.floor((score / max) * 10));
    bands[band]!.submissions += 1;
  }
  return bands;
}

const html = (text: string | number) => String(text).replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);

/**
 * The class report as one self-contained page: the score distribution, the score of each submission with a
 * link to its report, and each rule's pass rate as a bar.
 */
export function classReportHtml(title: string, submissions: readonly GradedSubmission[], rules: readonly string[], max: number): string {
  const bar = (fraction: number) => `<span class="bar"><span style="width:${Math.round(fraction * 100)}%"></span></span>`;
  const rows = submissions
    .map((s) => {
      const score = s.scored?.score ?? 0;
      const link = s.scored ? `<a href="${encodeURIComponent(s.folder ?? s.name)}/report.html">${html(s.name)}</a>` : html(s.name);
      return `<tr><td>${link}</td><td>${score} of ${max}</td><td>${bar(max === 0 ? 0 : score / max)}</td><td>${html(s.problem ?? "")}</td></tr>`;
    })
    .join("\n");
  const bands = scoreDistribution(submissions, max);
  const distribution = bands
    .map((b, i) => {
      const range = `${b.from} to ${i === bands.length - 1 ? `${b.to}` : `under ${b.to}`}`;
      return `<tr><td>${range}</td><td>${b.submissions}</td><td>${bar(submissions.length === 0 ? 0 : b.submissions / submissions.length)}</td></tr>`;
    })
    .join("\n");
  const rates = passRates(submissions, rules)
    .map((r) => `<tr><td><code>${html(r.id)}</code></td><td>${r.met} of ${r.of}</td><td>${bar(r.of === 0 ? 0 : r.met / r.of)}</td></tr>`)
    .join("\n");
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>${html(title)}</title>
<style>body{font-family:system-ui,sans-serif;margin:2em}table{border-collapse:collapse;margin-bottom:2em}td,th{padding:.2em .8em;text-align:left;border-bottom:1px solid #ddd}
.bar{display:inline-block;width:12em;height:.8em;background:#eee}.bar span{display:block;height:100%;background:#3a7}</style></head>
<body><h1>${html(title)}</h1>
<pre>${html(classSummary(submissions, rules, max))}</pre>
<h2>Score distribution</h2>
<table id="distribution"><tr><th>score</th><th>submissions</th><th></th></tr>
${distribution}
</table>
<h2>Submissions</h2>
<table id="submissions"><tr><th>submission</th><th>score</th><th></th><th>problem</th></tr>
${rows}
</table>
<h2>Rules, the least met first</h2>
<table id="rules"><tr><th>rule</th><th>met by</th><th></th></tr>
${rates}
</table></body></html>
`;
}
