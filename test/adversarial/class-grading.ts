import { readFileSync } from "node:fs";
import path from "node:path";
import type { Test } from "tap";
import { packageRoot } from "../../spec/paths.js";
import { python, runCli } from "../support/helpers.js";

type Unmet = "fail" | "timeout" | "skip" | "warn";

/** What the gradebook must say of one submission: its score, and the outcome of each graded rule it did not pass. */
export interface ExpectedRow {
  score: number;
  unmet?: Readonly<Partial<Record<string, Unmet>>>;
}

/** The rules a protocol's homework rubric grades, in its parts' order: the gradebook's columns. */
export function homeworkRules(protocol: string): string[] {
  const rubric = JSON.parse(readFileSync(path.join(packageRoot, "protocols", protocol, "rubrics", "homework.json"), "utf8")) as {
    parts: { rules: string[] }[];
  };
  return rubric.parts.flatMap((part) => part.rules);
}

interface GradedClass {
  stdout: string;
  /** The gradebook's header, and its rows by submission name. */
  header: string;
  rows: Map<string, string>;
  /** The class page. */
  page: string;
}

/**
 * Grades test/adversarial/class/<protocol> as a teacher would, each submission's run.sh as the spawn command, checking
 * only the rules given, with few runs.
 */
async function gradeClass(t: Test, protocol: string, rubric: string, only: readonly string[]): Promise<GradedClass> {
  const out = path.join(t.testdir(), "grades");
  const args = ["--rubric", rubric, "--out", out, "--parallel", "4", "--only", only.join(","), "--runs", "10"];
  const result = await runCli(
    ["grade", protocol, path.join(packageRoot, "test", "adversarial", "class", protocol), "--spawn", "sh {submission}/run.sh", ...args],
    // run.sh says `python3`: the interpreter itself, not a version manager's shim, which costs every start.
    { env: { PATH: `${path.dirname(python())}${path.delimiter}${process.env.PATH ?? ""}` } },
  );
  t.equal(result.code, 0, result.stderr);
  const [header, ...rows] = readFileSync(path.join(out, "gradebook.csv"), "utf8").trim().split("\n");
  return {
    stdout: result.stdout,
    header: header!,
    rows: new Map(rows.map((row) => [row.split(",")[0]!, row])),
    page: readFileSync(path.join(out, "class.html"), "utf8"),
  };
}

/**
 * Grades the class with the homework rubric, checking only its rules, and asserts the gradebook row by row
 * (each score, each rule's outcome), the class page's names and pass rates, and the summary line.
 */
export async function gradeClassAndExpect(t: Test, protocol: string, expected: Readonly<Record<string, ExpectedRow>>, summary: RegExp): Promise<void> {
  const rules = homeworkRules(protocol);
  const graded = await gradeClass(t, protocol, "homework", rules);
  t.match(graded.stdout, summary);
  t.equal(graded.header, ["submission", "score", "max", ...rules, "problem"].join(","), "a column per graded rule, in the rubric's order");
  const names = Object.keys(expected).sort();
  t.same([...graded.rows.keys()], names, "a row per submission, by name");
  const outcomes = (name: string) => rules.map((id) => expected[name]!.unmet?.[id] ?? "pass");
  for (const name of names)
    t.same(
      Object.keys(expected[name]!.unmet ?? {}).filter((id) => !rules.includes(id)),
      [],
      `${name}: every rule named is graded`,
    );
  // On a difference, each submission's report.json and check.log in the test's folder say why.
  for (const name of names) t.equal(graded.rows.get(name), [name, expected[name]!.score, 100, ...outcomes(name), ""].join(","), name);

  for (const name of names) t.match(graded.page, `<a href="${name}/report.html">${name}</a>`, `the class page links ${name}'s report`);
  rules.forEach((id, column) => {
    const met = names.filter((name) => outcomes(name)[column] === "pass").length;
    t.match(graded.page, `<code>${id}</code></td><td>${met} of ${names.length}</td>`, `the class page gives ${id}'s pass rate`);
  });
}

/**
 * Grades the class with the full rubric on the rules given, and asserts each submission's outcome on each:
 * what the homework rubric leaves out, the full one grades.
 */
export async function gradeClassInFullAndExpect(
  t: Test,
  protocol: string,
  rules: readonly string[],
  unmet: Readonly<Record<string, Readonly<Partial<Record<string, Unmet>>>>>,
): Promise<void> {
  const graded = await gradeClass(t, protocol, "full", rules);
  const columns = graded.header.split(",");
  for (const [name, row] of graded.rows) {
    const cells = row.split(",");
    t.same(
      Object.fromEntries(rules.map((id) => [id, cells[columns.indexOf(id)]])),
      Object.fromEntries(rules.map((id) => [id, unmet[name]?.[id] ?? "pass"])),
      name,
    );
  }
  t.same(
    Object.keys(unmet).filter((name) => !graded.rows.has(name)),
    [],
    "every submission named is in the class",
  );
}
