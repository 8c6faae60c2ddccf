import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import t from "tap";
import { assertValid } from "../../spec/validator.js";
import type { Report } from "../../conformance/report.js";
import { packageRoot } from "../../spec/paths.js";
import { cliPath, originalsDir, originalsSkipReason, python, runCli, runProgram } from "../support/helpers.js";

const reference = `${process.execPath} ${cliPath} client capitalizer --port {port}`;
const folder = mkdtempSync(path.join(os.tmpdir(), "sockspec-client-cli-"));
t.teardown(() => rmSync(folder, { recursive: true, force: true }));

t.test("bad input: one line and exit status 2", async (t) => {
  const driver = (body: object) => {
    const file = path.join(folder, `driver-${Math.random().toString(36).slice(2)}.json`);
    writeFileSync(file, JSON.stringify(body));
    return file;
  };
  const cases: Array<[string[], RegExp]> = [
    [["check-client", "capitalizer"], /needs --spawn CMD/],
    [["check-client", "capitalizer", "--spawn", reference, "--only", "CAPC-NOPE"], /unknown rule ID for capitalizer: CAPC-NOPE/],
    [["check-client", "capitalizer", "--spawn", reference, "--driver", path.join(folder, "absent.json")], /--driver: no file/],
    [
      ["check-client", "capitalizer", "--spawn", reference, "--driver", driver({ protocol: "capitalizer", actions: { say: ["{text}"] } })],
      /lacks the action "sentence"/,
    ],
    [
      ["check-client", "capitalizer", "--spawn", reference, "--driver", driver({ protocol: "capitalizer", actions: { sentence: ["{words}"] } })],
      /placeholder \{words\}/,
    ],
    [
      ["check-client", "capitalizer", "--spawn", reference, "--driver", driver({ protocol: "bank", actions: { sentence: ["{text}"] } })],
      /it is for bank, not capitalizer/,
    ],
    [["check-client", "capitalizer", "--spawn", reference, "--driver", driver({ protocol: "capitalizer" })], /bad client driver/],
  ];
  for (const [args, message] of cases) {
    const { code, stderr } = await runCli(args);
    t.equal(code, 2, args.join(" "));
    t.match(stderr, message);
    t.equal(stderr.trim().split("\n").length, 1, "one line");
  }
});

t.test("a driver of the user's own drives the client; a JUnit report of the run", async (t) => {
  const file = path.join(folder, "driver.json");
  writeFileSync(file, JSON.stringify({ protocol: "capitalizer", description: "the same as the default", actions: { sentence: ["{text}"] } }));
  const out = path.join(folder, "report.xml");
  const { code, stdout } = await runCli([
    "check-client",
    "capitalizer",
    "--spawn",
    reference,
    "--driver",
    file,
    "--only",
    "CAPC-SEND-*",
    "--runs",
    "10",
    "--reporter",
    "junit",
    "--out",
    out,
  ]);
  t.equal(code, 0, stdout);
});

t.test("the original client against its baseline: exit 0, and a valid JSON report", { skip: originalsSkipReason() }, async (t) => {
  const args = ["check-client", "capitalizer", "--spawn", `${python()} ${path.join(originalsDir, "tcpclient.py")}`, "--runs", "30"];
  const json = await runCli([...args, "--reporter", "json"]);
  t.equal(json.code, 1, "four MUSTs unmet");
  const report = JSON.parse(json.stdout);
  assertValid("report.schema.json", report, "the report");
  const baseline = await runCli([...args, "--baseline", "baselines/original-capitalizer-client.json"]);
  t.equal(baseline.code, 0, baseline.stderr);
});

t.test("an unmet client rule's reproduce line, run as printed, fails that rule alone with the same counterexample", async (t) => {
  const broken = path.join(packageRoot, "dist", "protocols", "capitalizer", "client", "broken-client.js");
  const args = ["check-client", "capitalizer", "--spawn", `${process.execPath} ${broken} first-piece-shown`, "--runs", "30", "--reporter", "json"];
  const first = JSON.parse((await runCli(args)).stdout) as Report;
  const unmet = first.rules.filter((r) => r.outcome !== "pass");
  t.same(
    unmet.map((r) => r.id),
    ["CAPC-REPLY-WHOLE"],
  );
  const { reproduce, counterexample } = unmet[0]!.detail;
  t.match(reproduce, /^cd \S+ && node \S+main\.js check-client capitalizer --spawn '.+' --runs 30 --only CAPC-REPLY-WHOLE --seed \d+$/);
  const again = await runProgram("sh", ["-c", `${reproduce} --reporter json`]);
  const rerun = JSON.parse(again.stdout) as Report;
  t.same(
    rerun.rules.map((r) => `${r.id} ${r.outcome}`),
    ["CAPC-REPLY-WHOLE fail"],
  );
  t.equal(rerun.rules[0]!.detail.counterexample, counterexample, "the same case, drawn from the same seed");
});

t.test("--max-time cuts a client check: the report says interrupted, with the rules not finished as not checked, exit 2", async (t) => {
  const started = performance.now();
  const result = await runCli(["check-client", "capitalizer", "--spawn", reference, "--runs", "100000", "--max-time", "2", "--reporter", "json"]);
  t.ok(performance.now() - started < 60_000, "it ended long before its runs would have");
  t.equal(result.code, 2, result.stderr);
  t.match(result.stderr, /interrupted: the run reached --max-time 2 s/);
  const report = JSON.parse(result.stdout) as Report;
  t.equal(report.interrupted, true);
  t.equal(report.summary.ok, false);
  t.ok(
    report.rules.some((r) => r.outcome === "skip"),
    "some rule not finished",
  );
});

t.test("a client's baseline: written from a run, met by the same client, pruned once the rule passes", async (t) => {
  const broken = `${process.execPath} ${path.join(packageRoot, "dist", "protocols", "capitalizer", "client", "broken-client.js")} first-piece-shown`;
  const file = path.join(t.testdir(), "baseline.json");
  const args = (client: string, ...more: string[]) => ["check-client", "capitalizer", "--spawn", client, "--runs", "30", "--baseline", file, ...more];
  const written = await runCli(args(broken, "--baseline-update"));
  t.equal(written.code, 0, written.stderr);
  t.match(written.stdout, /wrote \S+baseline\.json: 1 accepted unmet rule\(s\)/);
  const met = await runCli(args(broken));
  t.equal(met.code, 0, "the broken client breaks only what its baseline accepts");
  t.match(met.stdout, /baseline \S+: 1 accepted, 0 new failure\(s\), 0 now pass\. OK/);
  const fixed = await runCli(args(reference, "--baseline-prune"));
  t.equal(fixed.code, 0, fixed.stderr);
  t.match(fixed.stdout, /wrote \S+baseline\.json: 0 accepted unmet rule\(s\)/, "the rule that passes now is dropped");
});
