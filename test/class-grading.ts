import { readFileSync } from "node:fs";
import path from "node:path";
import type { Test } from "tap";
import { packageRoot } from "../spec/paths.js";
import { python, runCli } from "./helpers.js";

/** What the gradebook must say of one submission: its score, and the outcome of each graded rule it did not pass. */
export interface ExpectedRow {
  score: number;
  unmet?: Readonly<Record<string, "fail" | "timeout" | "skip" | "warn">>;
}

/** The rules a protocol's homework rubric grades, in its parts' order: the gradebook's columns. */
export function homeworkRules(protocol: string): string[] {
  const rubric = JSON.parse(readFileSync(path.join(packageRoot, "protocols", protocol, "rubrics", "homework.json"), "utf8")) as {
    parts: { rules: string[] }[];
  };
  return rubric.parts.flatMap((part) => part.rules);
}

/**
 * Grades test/class/<protocol> as a teacher would (each submission's run.sh as the spawn command, the
 * homework rubric, only its rules, few runs), then asserts the gradebook row by row, the class page's names
 * and pass rates, and the summary line.
 */
export async function gradeClassAndExpect(t: Test, protocol: string, expected: Readonly<Record<string, ExpectedRow>>, summary: RegExp): Promise<void> {
  const rules = homeworkRules(protocol);
  const out = path.join(t.testdir(), "grades");
  const result = await runCli(
    [
      "grade",
      protocol,
      path.join(packageRoot, "test", "class", protocol),
      "--spawn",
      "sh {submission}/run.sh",
      "--rubric",
      "homework",
      "--out",
      out,
      "--parallel",
      "4",
      "--only",
      rules.join(","),
      "--runs",
      "10",
    ],
    // run.sh says `python3`: the interpreter itself, not a version manager's shim, which costs every start.
    { env: { PATH: `${path.dirname(python())}${path.delimiter}${process.env.PATH ?? ""}` } },
  );
  t.equal(result.code, 0, result.stderr);
  t.match(result.stdout, summary);

  const [header, ...rows] = readFileSync(path.join(out, "gradebook.csv"), "utf8").trim().split("\n");
  t.equal(header, ["submission", "score", "max", ...rules, "problem"].join(","), "a column per graded rule, in the rubric's order");
  const names = Object.keys(expected).sort();
  t.same(
    rows.map((row) => row.split(",")[0]),
    names,
    "a row per submission, by name",
  );
  const outcomes = (name: string) => rules.map((id) => expected[name]!.unmet?.[id] ?? "pass");
  for (const name of names)
    t.notOk(
      Object.keys(expected[name]!.unmet ?? {}).some((id) => !rules.includes(id)),
      `${name}: every rule named is graded`,
    );
  for (const row of rows) {
    const name = row.split(",")[0]!;
    // On a difference, the submission's report says why the kit judged as it did.
    t.equal(row, [name, expected[name]!.score, 100, ...outcomes(name), ""].join(","), name, { report: path.join(out, name, "report.json") });
  }

  const page = readFileSync(path.join(out, "class.html"), "utf8");
  for (const name of names) t.match(page, `<a href="${name}/report.html">${name}</a>`, `the class page links ${name}'s report`);
  rules.forEach((id, column) => {
    const met = names.filter((name) => outcomes(name)[column] === "pass").length;
    t.match(page, `<code>${id}</code></td><td>${met} of ${names.length}</td>`, `the class page gives ${id}'s pass rate`);
  });
}
