import { readFileSync, writeFileSync } from "node:fs";
import path from "node:path";
import t from "tap";
import { reportOutputs } from "../../../cli/report-outputs.js";
import type { Report } from "../../../conformance/report.js";
import { runCli } from "../../support/helpers.js";

t.test("--reporter takes several reports, each but one with a file of its own; --out names the file of the one without", (t) => {
  t.same(reportOutputs("human", undefined), [{ reporter: "human" }]);
  t.same(reportOutputs("json", "r.json"), [{ reporter: "json", file: "r.json", fromOut: true }]);
  t.same(reportOutputs("human,json:r.json,html:r.html", undefined), [
    { reporter: "human" },
    { reporter: "json", file: "r.json" },
    { reporter: "html", file: "r.html" },
  ]);
  t.same(reportOutputs("junit,html:C:\\reports\\r.html", "j.xml"), [
    { reporter: "junit", file: "j.xml", fromOut: true },
    { reporter: "html", file: "C:\\reports\\r.html" },
  ]);
  t.throws(() => reportOutputs("json,html", undefined), /only one report can go to standard output, and json, html have no file/);
  t.throws(() => reportOutputs("json:a,html:b", "c"), /--out names the file of the one reporter given without one/);
  t.throws(() => reportOutputs("json:r.json,html:./r.json", undefined), /two reports would be written to .*r\.json/);
  t.throws(
    () => reportOutputs("json,xml:r.xml", undefined),
    /--reporter must be one of human, json, tap, junit, html, ndjson, gradescope, classroom, github .*got "xml"/,
  );
  t.throws(() => reportOutputs("json:", undefined), /--reporter json: no file after the colon/);
  t.end();
});

t.test("one run writes every report asked for, and sockspec report makes the same ones from its JSON", async (t) => {
  const dir = t.testdir();
  const file = (name: string) => path.join(dir, name);
  const only = ["--only", "CAP-REPLY-UPPER,CAP-REPLY-SUFFIX", "--runs", "5"];
  const run = await runCli([
    "check",
    "capitalizer",
    ...only,
    "--reporter",
    `human,json:${file("r.json")},junit:${file("r.xml")},html:${file("r.html")},ndjson:${file("r.ndjson")}`,
  ]);
  t.equal(run.code, 0, run.stderr);
  t.match(run.stdout, /OK: every rule checked/, "the human report on the terminal");
  const report = JSON.parse(readFileSync(file("r.json"), "utf8")) as Report;
  t.same(
    report.rules.map((r) => r.id),
    ["CAP-REPLY-UPPER", "CAP-REPLY-SUFFIX"],
  );
  t.equal(readFileSync(file("r.ndjson"), "utf8").trim().split("\n").length, 3, "a line per rule, then the summary");

  const converted = await runCli(["report", file("r.json"), "--reporter", `junit:${file("again.xml")},html:${file("again.html")}`]);
  t.equal(converted.code, 0, converted.stderr);
  t.equal(readFileSync(file("again.xml"), "utf8"), readFileSync(file("r.xml"), "utf8"), "the same JUnit XML");
  t.equal(readFileSync(file("again.html"), "utf8"), readFileSync(file("r.html"), "utf8"), "the same page");
  const human = await runCli(["report", file("r.json")]);
  t.equal(human.code, 0);
  t.match(human.stdout, /PASS\s+CAP-REPLY-UPPER[\s\S]*OK: every rule checked/, "human by default, on standard output");
});

t.test("sockspec report refuses what is no sockspec report, in one line, exit 2", async (t) => {
  const dir = t.testdir({ "page.html": "<!doctype html>", "other.json": '{"rules": 3}' });
  for (const [name, message] of [
    ["page.html", /page\.html is not valid JSON/],
    ["other.json", /other\.json/],
  ] as const) {
    const result = await runCli(["report", path.join(dir, name), "--reporter", "junit"]);
    t.equal(result.code, 2, name);
    t.equal(result.stderr.split("\n").length, 2, `${name}: one line`);
    t.match(result.stderr, message);
  }
  const none = await runCli(["report"]);
  t.equal(none.code, 2);
  t.match(none.stderr, /report takes one JSON report/);
});

t.test("a report piped to another program is written whole before the process ends", async (t) => {
  const dir = t.testdir();
  const saved = path.join(dir, "r.json");
  const run = await runCli(["check", "capitalizer", "--only", "CAP-REPLY-UPPER", "--runs", "2", "--reporter", `json:${saved}`]);
  t.equal(run.code, 0, run.stderr);
  // Far more than a pipe holds (64 KiB on Linux): the end of it is written after write() has returned.
  const report = JSON.parse(readFileSync(saved, "utf8")) as Report;
  report.rules[0]!.detail.message = "x".repeat(1024 * 1024);
  writeFileSync(saved, JSON.stringify(report));
  const piped = await runCli(["report", saved, "--reporter", "json"]);
  t.equal(piped.code, 0, piped.stderr);
  t.equal(piped.stdout.length, `${JSON.stringify(report, null, 2)}\n`.length, "every byte of it");
  t.same(JSON.parse(piped.stdout), report);
});
