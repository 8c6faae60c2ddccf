import { cpSync, existsSync, mkdirSync, readdirSync, statSync } from "node:fs";
import path from "node:path";
import type { GradedSubmission } from "../conformance/class-report.js";
import type { Report } from "../conformance/report.js";
import { scoreReport } from "../conformance/rubric.js";
import { clientCatalogue } from "../conformance/client/client-runner.js";
import { parse, UsageError } from "../conformance/usage.js";
import { readJson } from "../spec/read-json.js";
import { assertValid } from "../spec/validator.js";
import { GRADE_FILE, writeClassFiles } from "./grade.js";
import { chosenProtocol, protocolFolderHelp, protocolFolderOption } from "./protocol-option.js";
import { rubricOption } from "./rubric-option.js";

export const mergeHelp = `Usage: sockspec merge <protocol> SHARD_DIR... --out DIR [options]

Joins the --out folders of sockspec grade --shard runs (on other machines, say) into one: each
submission's folder is copied in, and the gradebook and class page are made again from their reports.

  -o, --out DIR        where the joined grades go (required; not one of the shards)
  --rubric NAME|FILE   how each report is scored: the rubric the shards were graded with
  --client             the shards graded clients (grade --client)
${protocolFolderHelp(23)}

Exit code: 0 when joined, 2 for a bad command line, a folder that is no grade output, or a submission
graded in two shards.`;

export async function runMerge(args: string[]): Promise<number> {
  const { values, positionals } = parse(
    args,
    { out: { type: "string", short: "o" }, rubric: { type: "string" }, client: { type: "boolean" }, ...protocolFolderOption },
    "merge",
  );
  const { module } = await chosenProtocol(values.protocol === undefined ? positionals.slice(0, 1) : [], values.protocol, "merge");
  const shards = positionals.slice(values.protocol === undefined ? 1 : 0);
  if (shards.length === 0) throw new UsageError("merge takes the grade folders of the shards (sockspec merge capitalizer grades-1 grades-2 --out grades)");
  if (values.out === undefined) throw new UsageError("merge needs --out DIR, where the joined grades go");
  const out = path.resolve(values.out);
  if (shards.some((shard) => path.resolve(shard) === out)) throw new UsageError("--out must be a folder of its own, not one of the shards");
  const catalogue = values.client ? clientCatalogue(module.spec) : module.spec;
  const rubric = rubricOption(values.rubric, { ...module, spec: catalogue });
  mkdirSync(out, { recursive: true });
  const graded: GradedSubmission[] = [];
  for (const shard of shards) {
    if (!existsSync(shard) || !statSync(shard).isDirectory()) throw new UsageError(`${shard} is not a folder`);
    // A shard may have drawn no submission of a small class; its folder still has its (empty) gradebook.
    if (!existsSync(path.join(shard, "gradebook.csv"))) throw new UsageError(`${shard} has no gradebook.csv: is it the --out of sockspec grade?`);
    const folders = readdirSync(shard, { withFileTypes: true }).filter((entry) => entry.isDirectory() && existsSync(path.join(shard, entry.name, GRADE_FILE)));
    for (const { name: folder } of folders) {
      const { name, seconds, problem } = readJson(path.join(shard, folder, GRADE_FILE)) as { name: string; seconds: number; problem?: string };
      const other = graded.find((g) => g.name === name);
      if (other) throw new UsageError(`${name} was graded in two shards: give each shard its own --shard i/n`);
      const report = reportIn(path.join(shard, folder));
      graded.push({
        name,
        folder,
        seconds,
        ...(report ? { scored: scoreReport(report, rubric, catalogue) } : {}),
        ...(problem !== undefined ? { problem } : {}),
      });
      cpSync(path.join(shard, folder), path.join(out, folder), { recursive: true });
    }
  }
  graded.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
  process.stdout.write(`${writeClassFiles(out, graded, rubric, catalogue)}\n`);
  return 0;
}

/** A submission's report, or undefined when its check wrote none. */
function reportIn(folder: string): Report | undefined {
  const file = path.join(folder, "report.json");
  if (!existsSync(file)) return undefined;
  const report = readJson(file);
  assertValid("report.schema.json", report, file);
  return report as Report;
}
