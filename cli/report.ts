import { readJson } from "../spec/read-json.js";
import { assertValid } from "../spec/validator.js";
import type { Report } from "../conformance/report.js";
import { parse, UsageError } from "../conformance/usage.js";
import { REPORTERS } from "./check-options.js";
import { reportOutputs, ReportWriter } from "./report-outputs.js";
import { chosenProtocol, protocolFolderHelp, protocolFolderOption } from "./protocol-option.js";
import { rubricOption } from "./rubric-option.js";
import { scoreReport } from "../conformance/rubric.js";

export const reportHelp = `Usage: sockspec report FILE.json [options]

Turns a report that sockspec check wrote with --reporter json into other formats, without checking
anything again: for a second format after the run, or for a report kept from CI.

  -r, --reporter NAME[:FILE],...
                    ${REPORTERS.join(", ")} (default human); several, comma-separated, each but one
                    with its own FILE (junit:results.xml,html:report.html)
  -o, --out FILE    the file of the one reporter given without its own
  --rubric NAME|FILE
                    how gradescope, classroom and github score it (as sockspec check --rubric)
${protocolFolderHelp(20)}: the protocol of a report made with one

Exit code: 0 when the report is written, 2 for a file that is no sockspec report.`;

export async function runReport(args: string[]): Promise<number> {
  const { values, positionals } = parse(
    args,
    { reporter: { type: "string", short: "r" }, out: { type: "string", short: "o" }, rubric: { type: "string" }, ...protocolFolderOption },
    "report",
  );
  if (positionals.length !== 1) throw new UsageError("report takes one JSON report (sockspec report FILE.json --reporter NAME)");
  const file = positionals[0]!;
  let report: Report;
  try {
    const read = readJson(file);
    assertValid("report.schema.json", read, file);
    report = read as Report;
  } catch (error) {
    throw new UsageError(`${(error as Error).message.split("\n")[0]} (sockspec report reads what check --reporter json wrote)`);
  }
  const { module } = await chosenProtocol(values.protocol === undefined ? [report.protocol] : [], values.protocol, "report");
  if (module.spec.protocol !== report.protocol) throw new UsageError(`${file} is a report on ${report.protocol}, not ${module.spec.protocol}`);
  const writer = new ReportWriter(reportOutputs(values.reporter ?? "human", values.out));
  const rubric = rubricOption(values.rubric, module);
  writer.expectWritable();
  for (const rule of report.rules) writer.rule(rule);
  writer.finish(report, scoreReport(report, rubric, module.spec), { terminal: "whole" });
  return writer.failed === undefined ? 0 : 2;
}
