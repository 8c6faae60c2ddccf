import { readFile, writeFile } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import t from "tap";
import { parseCaseId } from "../../conformance/case-id.js";
import type { Report } from "../../conformance/report.js";
import { assertValid } from "../../spec/validator.js";
import { withoutTimings } from "../../transport/transcript.js";
import { cliPath, runCli, runProgram } from "../support/helpers.js";

/** A capitalizer that leaves out the suffix when a sentence has a digit: only a property run can find that. */
const suffixlessOnDigits = `require("node:net")
  .createServer((socket) =>
    socket.on("data", (bytes) => {
      const sentence = bytes.toString();
      socket.write(sentence.toUpperCase() + (/[0-9]/.test(sentence) ? "" : "\\nAwaiting next string..."));
    }),
  )
  .listen(Number(process.env.PORT), process.env.HOST);
`;

t.test("a failure's case ID replays exactly its counterexample, against the broken server and the reference", async (t) => {
  const server = path.join(t.testdir(), "suffixless-on-digits.cjs");
  await writeFile(server, suffixlessOnDigits);
  const spawn = ["--spawn", `node ${server}`];
  const found = await runCli(["check", "capitalizer", ...spawn, "--only", "CAP-REPLY-SUFFIX", "--reporter", "json"]);
  t.equal(found.code, 1, found.stderr);
  const report = JSON.parse(found.stdout) as Report;
  assertValid("report.schema.json", report, "the report");
  const failure = report.rules[0]!.detail;
  const caseId = failure.case!;
  t.same(parseCaseId(caseId), { rule: "CAP-REPLY-SUFFIX", seed: failure.seed, path: failure.path }, `the case ID ${caseId} carries rule, seed and path`);

  t.equal(
    failure.reproduce,
    `cd ${process.cwd()} && node ${cliPath} replay ${caseId} --spawn 'node ${server}'`,
    "in the JSON report too, without its --reporter",
  );
  // As printed, from any folder: it finds its way back to this one, and to this sockspec.
  const pasted = await runProgram("sh", ["-c", `${failure.reproduce} --reporter json`], { cwd: os.tmpdir() });
  t.equal(pasted.code, 1, `run as printed from another folder, the case still fails: ${pasted.stderr}`);
  const human = await runCli(["check", "capitalizer", ...spawn, "--only", "CAP-REPLY-SUFFIX"]);
  t.match(human.stdout, `reproduce:      cd ${process.cwd()} && node ${cliPath} replay ${caseId} --spawn 'node ${server}'`);
  // Short flags too: the report's file and the seed stay out of it, so that running it never overwrites the report.
  const out = path.join(path.dirname(server), "full-report.json");
  const short = await runCli(["check", "capitalizer", ...spawn, "--only", "CAP-REPLY-SUFFIX", "--reporter", "json", "-o", out, "-s", "7", "-n", "100"]);
  t.equal(short.code, 1, short.stderr);
  const written = JSON.parse(await readFile(out, "utf8")) as Report;
  t.match(written.rules[0]!.detail.reproduce, new RegExp(`^cd \\S+ && node \\S+ replay CAP-REPLY-SUFFIX@7(:\\d+)* --spawn 'node ${server}' -n 100$`));

  const replayed = await runCli(["replay", caseId, ...spawn, "--reporter", "json"]);
  t.equal(replayed.code, 1, "the case still fails");
  const again = (JSON.parse(replayed.stdout) as Report).rules[0]!;
  t.equal(again.id, "CAP-REPLY-SUFFIX");
  t.equal(again.detail.runs, 1, "one property run, no fixtures, no shrinking");
  t.equal(again.detail.counterexample, failure.counterexample, "the same counterexample");
  // The failing run may have reused a connection opened earlier; the replay opens its own.
  const exchanged = (report: typeof failure) => withoutTimings(report.transcript!.events).filter((e) => e.type === "send" || e.type === "recv");
  t.same(exchanged(again.detail), exchanged(failure), "the same bytes on the wire");

  const reference = await runCli(["replay", caseId]);
  t.equal(reference.code, 0, "the reference passes the case");
  t.match(reference.stdout, /PASS\s+CAP-REPLY-SUFFIX\s+MUST\s+the case at path \S+ passed/);
});

t.test("replay with bad arguments: one line, exit 2", async (t) => {
  for (const [args, message] of [
    [["replay"], /replay needs a case ID/],
    [["replay", "CAP-REPLY-SUFFIX"], /is not a case ID/],
    [["replay", "CAP-NOPE@1:0"], /no built-in protocol has a rule CAP-NOPE/],
    [["replay", "CAP-REPLY-SUFFIX@1:0", "--only", "CAP-*"], /--only does not go with replay/],
  ] as Array<[string[], RegExp]>) {
    const result = await runCli(args);
    t.equal(result.code, 2, args.join(" "));
    t.match(result.stderr, message);
    t.equal(result.stderr.trimEnd().split("\n").length, 1, "one line");
  }
});
