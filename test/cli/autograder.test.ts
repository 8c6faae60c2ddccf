// The Gradescope autograder of examples/autograder/gradescope, run as Gradescope runs it, in a folder laid
// out like /autograder: its results.json must be what Gradescope's specification describes.
import { execFile } from "node:child_process";
import { chmodSync, readFileSync } from "node:fs";
import path from "node:path";
import { promisify } from "node:util";
import { Ajv2020 } from "ajv/dist/2020.js";
import t, { type Test } from "tap";
import { packageRoot } from "../../spec/paths.js";
import { cliPath, runProgram } from "../support/helpers.js";

const template = path.join(packageRoot, "examples", "autograder", "gradescope");
const validResults = new Ajv2020({ strict: false }).compile(
  JSON.parse(readFileSync(path.join(packageRoot, "test", "cli", "platforms", "gradescope-results.schema.json"), "utf8")) as object,
);

/** A folder laid out like /autograder: the template's files in source/ (its config narrowed), and a submission. */
function autograderFolder(t: Test, server: string) {
  const config = readFileSync(path.join(template, "config.sh"), "utf8")
    .replace(/^SERVER=.*$/m, 'SERVER="sh run.sh"')
    .replace(/^EXTRA_ARGS=.*$/m, 'EXTRA_ARGS="--only CAP-REPLY-UPPER,CAP-REPLY-SUFFIX --runs 3"');
  // sockspec as setup.sh installs it: a command on the PATH.
  const bin = { sockspec: `#!/bin/sh\nexec "${process.execPath}" "${cliPath}" "$@"\n` };
  return t.testdir({ source: { "config.sh": config }, submission: { "run.sh": server }, results: {}, bin });
}

async function runAutograder(root: string) {
  chmodSync(path.join(root, "bin", "sockspec"), 0o755);
  return runProgram("bash", [path.join(template, "run_autograder")], {
    env: { AUTOGRADER: root, PATH: `${path.join(root, "bin")}:${process.env.PATH}` },
  });
}

t.test("a submission that serves: results.json with a test per graded rule, its points and why", async (t) => {
  const root = autograderFolder(t, `exec "${process.execPath}" "${cliPath}" serve capitalizer --port "$PORT"\n`);
  const run = await runAutograder(root);
  t.equal(run.code, 0, run.stderr);
  const results = JSON.parse(readFileSync(path.join(root, "results", "results.json"), "utf8")) as {
    score: number;
    output: string;
    tests: Array<{ name: string; status: string }>;
  };
  t.ok(validResults(results), JSON.stringify(validResults.errors));
  t.equal(results.score, 30, "the replies part of the homework rubric, the rest left out");
  t.match(results.output, /Capitalizer homework, as the course asked it: 30 of 100 points/);
  t.same(
    results.tests.filter((test) => test.status === "passed").map((test) => test.name),
    ["CAP-REPLY-UPPER (MUST)", "CAP-REPLY-SUFFIX (MUST)"],
  );
  t.match(run.stdout, /OK: every rule checked/, "the human report in the autograder's output, for staff");
});

t.test("a submission whose server never starts: results.json with no points, saying why", async (t) => {
  const root = autograderFolder(t, 'echo "Traceback: ModuleNotFoundError" >&2; exit 1\n');
  const run = await runAutograder(root);
  t.equal(run.code, 0, run.stderr);
  const results = JSON.parse(readFileSync(path.join(root, "results", "results.json"), "utf8")) as { score: number; output: string };
  t.ok(validResults(results), JSON.stringify(validResults.errors));
  t.equal(results.score, 0);
  t.match(
    results.output,
    /^The server could not be checked \(exit 2\): server command exited with code 1 before listening on port \d+: Traceback: ModuleNotFoundError$/,
  );
});

t.test("setup.sh is valid bash", async (t) => {
  const { stderr } = await promisify(execFile)("bash", ["-n", path.join(template, "setup.sh")]);
  t.equal(stderr, "");
});
