// The composite action (action.yml) run as a GitHub runner runs its step: bash -eo pipefail, the inputs in
// the environment, and GitHub's step files for the outputs and the job summary.
import { readFileSync } from "node:fs";
import path from "node:path";
import t, { type Test } from "tap";
import { parse } from "yaml";
import { packageRoot } from "../../spec/paths.js";
import { cliPath, runProgram } from "../support/helpers.js";

interface Step {
  id?: string;
  run?: string;
  env?: Record<string, string>;
}
const action = parse(readFileSync(path.join(packageRoot, "action.yml"), "utf8")) as {
  inputs: Record<string, { required?: boolean }>;
  outputs: Record<string, { value: string }>;
  runs: { using: string; steps: Step[] };
};

async function runStep(t: Test, inputs: Record<string, string>, files: Record<string, string> = {}) {
  const dir = t.testdir({ output: "", summary: "", "check.sh": action.runs.steps.find((step) => step.id === "check")!.run!, ...files });
  const env: Record<string, string> = {
    GITHUB_ACTION_PATH: packageRoot,
    GITHUB_OUTPUT: path.join(dir, "output"),
    GITHUB_STEP_SUMMARY: path.join(dir, "summary"),
    RUNNER_TEMP: dir,
  };
  // ${{ inputs.x }} in the step's env, as the runner fills it in.
  for (const [name, value] of Object.entries(action.runs.steps.find((step) => step.id === "check")!.env!))
    env[name] = value.replace(/^\$\{\{ inputs\.([\w-]+) \}\}$/, (_, input: string) => inputs[input] ?? "");
  const run = await runProgram("bash", ["--noprofile", "--norc", "-eo", "pipefail", path.join(dir, "check.sh")], { env });
  const outputs = Object.fromEntries(
    readFileSync(path.join(dir, "output"), "utf8")
      .trim()
      .split("\n")
      .map((line) => [line.slice(0, line.indexOf("=")), line.slice(line.indexOf("=") + 1)]),
  );
  return { run, outputs, summary: readFileSync(path.join(dir, "summary"), "utf8") };
}

t.test("action.yml is a composite action whose outputs are its check step's", (t) => {
  t.equal(action.runs.using, "composite");
  t.same(
    Object.keys(action.inputs).filter((name) => action.inputs[name]!.required),
    ["protocol", "server"],
  );
  for (const [name, output] of Object.entries(action.outputs)) t.equal(output.value, `\${{ steps.check.outputs.${name} }}`, name);
  t.end();
});

t.test("the check step: the score and Classroom's result as outputs, the job summary, the annotations", async (t) => {
  const server = `"${process.execPath}" "${cliPath}" serve capitalizer --port {port}`;
  const { run, outputs, summary } = await runStep(t, {
    protocol: "capitalizer",
    server,
    rubric: "homework",
    args: "--only CAP-REPLY-UPPER,CAP-REPLY-SUFFIX --runs 3",
  });
  t.equal(run.code, 0, run.stderr);
  t.same([outputs.score, outputs["max-score"]], ["30", "100"]);
  const result = JSON.parse(Buffer.from(outputs.result!, "base64").toString("utf8")) as { max_score: number };
  t.equal(result.max_score, 100);
  t.match(summary, /^## sockspec capitalizer: 30 of 100 points/);
  t.match(run.stdout, /^::error title=CAP-QUOTA-LIMIT \(0 of 10 points\)::/m, "an annotation per rule not earned");
});

t.test("the check step fails when the server fails a rule, and still gives its outputs", async (t) => {
  const silent = 'require("net").createServer(() => {}).listen(Number(process.env.PORT), process.env.HOST);';
  const server = `"${process.execPath}" ${path.join(t.testdirName, "silent.cjs")}`;
  const { run, outputs } = await runStep(
    t,
    { protocol: "capitalizer", server, args: "--only CAP-REPLY-UPPER --runs 1 --timeout 500" },
    { "silent.cjs": silent },
  );
  t.equal(run.code, 1, `the step fails: ${run.stderr}`);
  t.same([outputs.score, outputs["max-score"]], ["0", "21"], "every rule one point without a rubric");
});
