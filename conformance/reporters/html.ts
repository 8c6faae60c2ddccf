import { formatTranscript } from "../../transport/transcript.js";
import { coverage, outcomeWords, verdictLine, type Outcome, type Report, type RuleResult } from "../report.js";
import { detailFields } from "./fields.js";
import { xmlText as escape } from "./junit.js";

const outcomes: Outcome[] = ["pass", "fail", "non-strict", "timeout", "skip"];
const labels = outcomeWords;

const style = `
body { font: 14px/1.45 system-ui, sans-serif; margin: 2em auto; max-width: 72em; color: #222; }
h1 { font-size: 1.5em; } h2 { font-size: 1.2em; margin-top: 2em; }
table { border-collapse: collapse; width: 100%; } th, td { border: 1px solid #ccc; padding: .3em .6em; text-align: left; vertical-align: top; }
.pass { background: #d9f2d9; } .fail { background: #f8d0d0; } .non-strict { background: #fdf0c8; } .timeout { background: #ead7f5; } .skip { background: #e8e8e8; }
.verdict.ok { color: #1a7f1a; } .verdict.not-ok { color: #b31d1d; }
pre { background: #f6f6f6; padding: .6em; overflow-x: auto; white-space: pre-wrap; }
dt { font-weight: bold; } dd { margin: 0 0 .5em 1em; }
`;

function ruleDetails(result: RuleResult): string {
  const { detail } = result;
  const list = detailFields(detail).map((f) => `<dt>${f.label}</dt><dd>${escape(String(f.value))}</dd>`);
  const transcript = detail.transcript ? `<dt>transcript</dt><dd><pre>${escape(formatTranscript(detail.transcript))}</pre></dd>` : "";
  return `<section id="${escape(result.id)}" class="rule ${result.outcome}" data-outcome="${result.outcome}">
<h2>${escape(result.id)} <small>${result.level}, ${labels[result.outcome]}</small></h2>
<p>${escape(detail.message)}</p>
<dl>${list.join("")}${transcript}</dl>
</section>`;
}

/**
 * The report as one self-contained HTML page, in the spirit of the Autobahn|Testsuite report: a summary of
 * rules by outcome, colour-coded, a table of every rule, and for each rule not passed its statement,
 * expected vs observed, counterexample and transcript. No script, no external resource.
 */
export function formatHtml(report: Report): string {
  const { summary } = report;
  const { headline, notChecked } = coverage(report);
  const title = `sockspec check ${report.protocol}: ${report.target}`;
  const counts = outcomes.map((o) => `<td class="${o}" data-count="${o}">${summary[o]}</td>`).join("");
  const rows = report.rules
    .map(
      (r) =>
        `<tr class="${r.outcome}"><td><a href="#${escape(r.id)}">${escape(r.id)}</a></td><td>${r.level}</td><td>${labels[r.outcome]}</td><td>${escape(r.detail.message)}</td></tr>`,
    )
    .join("\n");
  const limits = Object.entries(report.limits ?? {}).map(([name, value]) => `, ${escape(name)} ${value}`);
  return `<!doctype html>
<html lang="en">
<head><meta charset="utf-8"><title>${escape(title)}</title><style>${style}</style></head>
<body>
<h1>${escape(title)}</h1>
<p>Seed ${report.seed}, ${report.runs} runs${limits.join("")}${report.strict ? ", strict" : ""}.
<strong class="verdict ${summary.ok ? "ok" : "not-ok"}" id="verdict">${escape(verdictLine(report))}</strong></p>
<p id="coverage"><strong>${escape(headline)}</strong>${notChecked.length > 0 ? "; not checked:" : "."}</p>
${notChecked.length > 0 ? `<ul id="not-checked">${notChecked.map(({ rules, reason }) => `<li>${rules} ${escape(reason)}</li>`).join("")}</ul>` : ""}
<table id="summary"><tr><th>rules</th>${outcomes.map((o) => `<th>${labels[o]}</th>`).join("")}</tr>
<tr><td data-count="total">${summary.total}</td>${counts}</tr></table>
<h2>Rules</h2>
<table id="rules"><tr><th>ID</th><th>level</th><th>outcome</th><th>message</th></tr>
${rows}
</table>
${report.rules
  .filter((r) => r.outcome !== "pass")
  .map(ruleDetails)
  .join("\n")}
</body>
</html>
`;
}
