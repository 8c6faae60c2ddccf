import { formatTranscript } from "../../transport/transcript.js";
import { countsAgainst, coverage, verdictLine, type Report, type RuleResult } from "../report.js";
import { detailFields } from "./fields.js";

// Characters XML 1.0 cannot carry at all; they are written as \uXXXX instead.
// eslint-disable-next-line no-control-regex
const notXml = /[\u0000-\u0008\u000b\u000c\u000e-\u001f\ufffe\uffff]|[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/g;
const entities: Record<string, string> = { "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "'": "&apos;" };

/** Text as XML character data or attribute value. */
export function xmlText(text: string): string {
  return text.replace(notXml, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, "0")}`).replace(/[&<>"']/g, (c) => entities[c]!);
}

const seconds = (ms: number | undefined) => ((ms ?? 0) / 1000).toFixed(3);

function body(result: RuleResult): string {
  const { detail } = result;
  const lines = detailFields(detail).map((f) => `${f.label}: ${f.value}`);
  if (detail.transcript) lines.push(`transcript:\n${formatTranscript(detail.transcript)}`);
  return xmlText(lines.join("\n"));
}

function testcase(report: Report, result: RuleResult): string {
  const open = `    <testcase name="${xmlText(result.id)}" classname="sockspec.${xmlText(report.protocol)}" time="${seconds(result.detail.ms)}"`;
  const message = xmlText(result.detail.message);
  switch (result.outcome) {
    case "pass":
      return `${open}/>`;
    case "skip":
      return `${open}>\n      <skipped message="${message}"/>\n    </testcase>`;
    default:
      // An unmet SHOULD fails only a strict run; otherwise it is reported beside a passing test case.
      if (!countsAgainst(result, report.strict))
        return `${open}>\n      <system-out>unmet ${result.level}: ${message}\n${body(result)}</system-out>\n    </testcase>`;
      // A timeout is an error in JUnit's terms (the test could not see an answer), a wrong answer a failure.
      if (result.outcome === "timeout") return `${open}>\n      <error message="${message}" type="timeout">${body(result)}</error>\n    </testcase>`;
      return `${open}>\n      <failure message="${message}" type="${result.level}">${body(result)}</failure>\n    </testcase>`;
  }
}

/**
 * The report as JUnit XML, as CI systems ingest it: one test suite per protocol, one test case per rule;
 * a failure carries expected vs observed, the counterexample and the transcript; a skip its reason.
 */
export function formatJunit(report: Report): string {
  const { summary } = report;
  const failing = report.rules.filter((r) => countsAgainst(r, report.strict));
  const errors = failing.filter((r) => r.outcome === "timeout").length;
  const time = seconds(report.rules.reduce((sum, r) => sum + (r.detail.ms ?? 0), 0));
  const counts = `tests="${summary.total}" failures="${failing.length - errors}" errors="${errors}" skipped="${summary.skip}" time="${time}"`;
  const properties = [
    ["target", report.target],
    ["seed", String(report.seed)],
    ["runs", String(report.runs)],
    ["strict", String(report.strict)],
    ["checked", `${coverage(report).headline}`],
    ["verdict", verdictLine(report)],
    ...Object.entries(report.limits ?? {}).map(([name, value]) => [`limit.${name}`, String(value)]),
  ].map(([name, value]) => `      <property name="${xmlText(name!)}" value="${xmlText(value!)}"/>`);
  return [
    `<?xml version="1.0" encoding="UTF-8"?>`,
    `<testsuites name="sockspec" ${counts}>`,
    `  <testsuite name="${xmlText(report.protocol)}" ${counts}>`,
    "    <properties>",
    ...properties,
    "    </properties>",
    ...report.rules.map((r) => testcase(report, r)),
    "  </testsuite>",
    "</testsuites>",
    "",
  ].join("\n");
}
