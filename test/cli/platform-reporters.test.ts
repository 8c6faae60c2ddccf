// The gradescope, classroom and github reports of a real run, validated against JSON Schemas written from
// each platform's published format (test/cli/platforms/).
import { readFileSync } from "node:fs";
import path from "node:path";
import { Ajv2020 } from "ajv/dist/2020.js";
import t from "tap";
import { packageRoot } from "../../spec/paths.js";
import { runCli } from "../support/helpers.js";

const ajv = new Ajv2020({ allErrors: true, strict: false });
const schema = (name: string) => JSON.parse(readFileSync(path.join(packageRoot, "test", "cli", "platforms", name), "utf8")) as object;
const validGradescope = ajv.compile(schema("gradescope-results.schema.json"));
const validClassroom = ajv.compile(schema("classroom-result.schema.json"));

t.test("one graded run: a Gradescope results.json, a Classroom runner result and a GitHub summary and annotations", async (t) => {
  const dir = t.testdir();
  const file = (name: string) => path.join(dir, name);
  // The homework rubric grades the reply rules the run checks, and the rules it leaves out, which score nothing.
  const reporters = `gradescope:${file("results.json")},classroom:${file("output")},github:${file("summary.md")},json:${file("report.json")}`;
  const run = await runCli(["check", "capitalizer", "--only", "CAP-REPLY-*", "--runs", "5", "--rubric", "homework", "--reporter", reporters]);
  t.equal(run.code, 0, run.stderr);

  const results = JSON.parse(readFileSync(file("results.json"), "utf8")) as {
    score: number;
    output: string;
    tests: Array<{ name: string; score: number; max_score: number; status: string; output: string }>;
  };
  t.ok(validGradescope(results), JSON.stringify(validGradescope.errors));
  t.equal(results.score, 30, "the Replies part in full, nothing else");
  t.equal(Math.round(results.tests.reduce((sum, test) => sum + test.score, 0) * 100) / 100, results.score, "the tests add up to the score");
  t.equal(Math.round(results.tests.reduce((sum, test) => sum + test.max_score, 0) * 100) / 100, 100, "and their maxima to the rubric's points");
  const upper = results.tests.find((test) => test.name.startsWith("CAP-REPLY-UPPER"))!;
  t.equal(upper.status, "passed");
  t.match(upper.output, /rule: The reply to a sentence MUST begin with that sentence upper-cased/);
  const quota = results.tests.find((test) => test.name.startsWith("CAP-QUOTA-LIMIT"))!;
  t.same([quota.status, quota.score], ["failed", 0]);
  t.match(results.output, /Capitalizer homework, as the course asked it: 30 of 100 points/);

  // Appended, as a step output is: a line of its own, "result=" and base64 JSON.
  const output = readFileSync(file("output"), "utf8");
  t.match(output, /^result=[A-Za-z0-9+/=]+\n$/);
  const runner = JSON.parse(Buffer.from(output.trim().slice("result=".length), "base64").toString("utf8")) as {
    status: string;
    max_score: number;
    tests: Array<{ score: number }>;
  };
  t.ok(validClassroom(runner), JSON.stringify(validClassroom.errors));
  t.same([runner.status, runner.max_score], ["fail", 100]);
  t.equal(Math.round(runner.tests.reduce((sum, test) => sum + test.score, 0) * 100) / 100, 30);

  t.match(
    readFileSync(file("summary.md"), "utf8"),
    /^## sockspec capitalizer: 30 of 100 points\n[\s\S]*\| Replies \| 30 of 30 \|[\s\S]*\| `CAP-QUOTA-LIMIT` \| skip \| 0 of 10 \|/,
  );
  const annotations = run.stdout.split("\n").filter((line) => line.startsWith("::"));
  t.equal(annotations.length, 8, "one annotation per rule not earned: the eight the run left out");
  t.match(annotations[0], /^::error title=CAP-QUOTA-LIMIT \(0 of 10 points\)::not checked: the run left this rule out$/);
});

t.test("a file the classroom or github report goes to is appended to, as GitHub's step files are", async (t) => {
  const dir = t.testdir({ output: "earlier=1\n", "summary.md": "# Earlier step\n" });
  const run = await runCli([
    "check",
    "capitalizer",
    "--only",
    "CAP-REPLY-UPPER",
    "--runs",
    "2",
    "--reporter",
    `human,classroom:${path.join(dir, "output")},github:${path.join(dir, "summary.md")}`,
  ]);
  t.equal(run.code, 0, run.stderr);
  t.match(readFileSync(path.join(dir, "output"), "utf8"), /^earlier=1\nresult=/);
  t.match(readFileSync(path.join(dir, "summary.md"), "utf8"), /^# Earlier step\n## sockspec capitalizer: 1 of 21 points/);
});

t.test("--rubric names a shipped rubric or a file; anything else is one line, exit 2", async (t) => {
  const dir = t.testdir({ "bad.json": JSON.stringify({ protocol: "capitalizer", title: "x", parts: [{ name: "P", points: 1, rules: ["CAP-NOPE"] }] }) });
  for (const [rubric, message] of [
    ["nonesuch", /--rubric: no file nonesuch, and capitalizer ships no rubric "nonesuch"/],
    [path.join(dir, "bad.json"), /--rubric: .*bad\.json: part "P" names CAP-NOPE, which is no rule of capitalizer/],
  ] as const) {
    const run = await runCli(["check", "capitalizer", "--rubric", rubric, "--reporter", "gradescope"]);
    t.equal(run.code, 2, rubric);
    t.match(run.stderr, message);
    t.equal(run.stdout, "", "nothing ran");
  }
});

t.test("sockspec report grades a saved report by a rubric: the same results.json as the run's", async (t) => {
  const dir = t.testdir();
  const file = (name: string) => path.join(dir, name);
  const run = await runCli([
    "check",
    "capitalizer",
    "--only",
    "CAP-REPLY-UPPER",
    "--runs",
    "2",
    "--rubric",
    "full",
    "--reporter",
    `json:${file("r.json")},gradescope:${file("a.json")}`,
  ]);
  t.equal(run.code, 0, run.stderr);
  const again = await runCli(["report", file("r.json"), "--rubric", "full", "--reporter", `gradescope:${file("b.json")}`]);
  t.equal(again.code, 0, again.stderr);
  t.equal(readFileSync(file("b.json"), "utf8"), readFileSync(file("a.json"), "utf8"));
});
