import { existsSync, readFileSync } from "node:fs";
import path from "node:path";
import t from "tap";
import { inShard } from "../../cli/grade.js";
import type { Report } from "../../conformance/report.js";
import { packageRoot } from "../../spec/paths.js";
import { browserPage, noBrowser, type BrowserWindow } from "../support/browser.js";
import { cliPath, python, runCli } from "../support/helpers.js";

const capitalizerSpec = path.join(packageRoot, "protocols", "capitalizer", "spec", "protocol.json");
const quotaPerConnection = path.join(packageRoot, "test", "adversarial", "homework", "capitalizer_quota_per_connection.py");

t.test("a class graded: a row per submission in the gradebook, a report each, and the class page", async (t) => {
  // Three submissions: the reference, a server whose quota is per connection, and one that will not start.
  const dir = t.testdir({
    class: {
      alice: { "run.sh": `exec "${process.execPath}" "${cliPath}" serve capitalizer --port "$PORT"\n` },
      bob: { "run.sh": `exec ${python()} ${quotaPerConnection} ${capitalizerSpec}\n` },
      "carol, jr": { "run.sh": 'echo "SyntaxError: oops" >&2; exit 1\n' },
    },
  });
  const out = path.join(dir, "grades");
  const only = ["--only", "CAP-REPLY-*,CAP-QUOTA-LIMIT,CAP-QUOTA-SHARED", "--runs", "3"];
  const result = await runCli([
    "grade",
    "capitalizer",
    path.join(dir, "class"),
    "--spawn",
    "sh {submission}/run.sh",
    "--out",
    out,
    "--rubric",
    "homework",
    ...only,
  ]);
  t.equal(result.code, 0, result.stderr);
  t.match(result.stdout, /3 submission\(s\): median 30 of 100, lowest 0, highest 50/);

  const rows = readFileSync(path.join(out, "gradebook.csv"), "utf8").trim().split("\n");
  t.equal(
    rows[0],
    "submission,score,max,CAP-REPLY-UPPER,CAP-REPLY-SUFFIX,CAP-QUOTA-LIMIT,CAP-QUOTA-CLOSE,CAP-QUOTA-SHARED,CAP-SHUTDOWN-CLOSE,CAP-SHUTDOWN-NO-COUNT,CAP-SHUTDOWN-EXACT,CAP-CONCURRENT-CLIENTS,CAP-ACCEPT-AFTER-END,problem",
  );
  t.equal(rows[1], "alice,50,100,pass,pass,pass,skip,pass,skip,skip,skip,skip,skip,", "the reference: every rule it was checked on");
  t.equal(rows[2], "bob,30,100,pass,pass,fail,skip,fail,skip,skip,skip,skip,skip,", "a quota per connection fails the shared quota");
  t.match(
    rows[3],
    /^"carol, jr",0,100,(not checked,){10}server command exited with code 1 before listening on port \d+: SyntaxError: oops$/,
    "a server that will not start scores 0, saying why",
  );

  const report = JSON.parse(readFileSync(path.join(out, "bob", "report.json"), "utf8")) as Report;
  t.equal(report.rules.find((r) => r.id === "CAP-QUOTA-SHARED")!.outcome, "fail");
  t.match(report.rules.find((r) => r.id === "CAP-QUOTA-SHARED")!.detail.reproduce, /^cd \S+bob && /, "its reproduce line runs from the submission's folder");
  t.match(JSON.parse(readFileSync(path.join(out, "bob", "results.json"), "utf8")), { score: 30 });
  t.match(readFileSync(path.join(out, "carol_jr", "check.log"), "utf8"), /SyntaxError: oops/, "a submission named with a comma gets a folder without one");
  const page = readFileSync(path.join(out, "class.html"), "utf8");
  t.match(page, '<a href="alice/report.html">alice</a>');
  t.match(page, "carol, jr</td><td>0 of 100");
  t.match(page, /<code>CAP-QUOTA-SHARED<\/code><\/td><td>1 of 2/);

  await t.test("the class page, rendered in headless Chromium: the distribution, each rule's bar, a page per submission", { skip: noBrowser }, async (t) => {
    const browser = await browserPage(t);
    await browser.goto(`file://${path.join(out, "class.html")}`);
    const rows = async (table: string) => (await browser.locator(`#${table} tr`).allInnerTexts()).slice(1).map((row) => row.split("\t").slice(0, 2).join(": "));
    t.same(
      await rows("distribution"),
      [
        "0 to under 10: 1",
        ...[1, 2].map((n) => `${n}0 to under ${n + 1}0: 0`),
        "30 to under 40: 1",
        "40 to under 50: 0",
        "50 to under 60: 1",
        ...[6, 7, 8].map((n) => `${n}0 to under ${n + 1}0: 0`),
        "90 to 100: 0",
      ],
      "carol scored 0, bob 30, alice 50",
    );
    t.same((await rows("submissions")).slice(0, 2), ["alice: 50 of 100", "bob: 30 of 100"]);
    const width = (row: string) =>
      browser
        .locator(row)
        .locator(".bar span")
        .evaluate((bar) => parseFloat((globalThis as unknown as BrowserWindow).getComputedStyle(bar).width));
    const full = await browser
      .locator("#rules .bar")
      .first()
      .evaluate((bar) => parseFloat((globalThis as unknown as BrowserWindow).getComputedStyle(bar).width));
    t.equal(await width(`#rules tr:has(code:text-is("CAP-QUOTA-SHARED"))`), full / 2, "met by 1 of 2: half a bar");
    t.equal(await width(`#rules tr:has(code:text-is("CAP-REPLY-UPPER"))`), full, "met by both: a whole bar");
    await browser.getByRole("link", { name: "bob" }).click();
    t.match(await browser.locator("#verdict").innerText(), /^NOT CONFORMANT/, "the link opens bob's own report");
    t.equal(await browser.locator(`section[data-outcome="fail"]`).count(), 2, "with his two failures in it");
  });
});

t.test("grade refuses what it cannot grade, in one line, exit 2", async (t) => {
  const dir = t.testdir({ empty: {}, class: { a: {} } });
  for (const [args, message] of [
    [["grade", "capitalizer", path.join(dir, "empty"), "--spawn", "{submission}/run"], /has no submission/],
    [["grade", "capitalizer", path.join(dir, "class")], /grade needs --spawn CMD/],
    [["grade", "capitalizer", path.join(dir, "class"), "--spawn", "python3 server.py"], /--spawn must name \{submission\}/],
    [["grade", "capitalizer"], /grade takes a protocol and a folder/],
  ] as const) {
    const result = await runCli([...args]);
    t.equal(result.code, 2, args.join(" "));
    t.match(result.stderr, message);
  }
});

t.test("a class graded in three shards and merged gives the gradebook of one unsharded run", async (t) => {
  const names = ["ana", "ben", "cyd", "dee", "eli", "fay"];
  const serve = `exec "${process.execPath}" "${cliPath}" serve capitalizer --port "$PORT"\n`;
  const dir = t.testdir({ class: Object.fromEntries(names.map((name, i) => [name, { "run.sh": i === 4 ? "exit 3\n" : serve }])) });
  const grade = (out: string, ...more: string[]) =>
    runCli([
      "grade",
      "capitalizer",
      path.join(dir, "class"),
      "--spawn",
      "sh {submission}/run.sh",
      "--out",
      path.join(dir, out),
      "--only",
      "CAP-REPLY-UPPER",
      "--runs",
      "2",
      ...more,
    ]);
  const shards = ["1/3", "2/3", "3/3"].map((shard) => shard.split("/").map(Number) as [number, number]);
  t.same(
    shards.map(([index, count]) => names.filter((name) => inShard(name, { index, count })).length),
    [1, 3, 2],
    "every shard draws some of the class, none draws the same submission",
  );
  const results = await Promise.all([grade("whole"), ...shards.map(([i]) => grade(`shard-${i}`, "--shard", `${i}/3`))]);
  for (const result of results) t.equal(result.code, 0, result.stderr);
  const merged = await runCli(["merge", "capitalizer", ...shards.map(([i]) => path.join(dir, `shard-${i}`)), "--out", path.join(dir, "merged")]);
  t.equal(merged.code, 0, merged.stderr);
  // The port a server that would not start was given differs from run to run.
  const gradebook = (out: string) => readFileSync(path.join(dir, out, "gradebook.csv"), "utf8").replace(/port \d+/g, "port N");
  t.equal(gradebook("merged"), gradebook("whole"));
  t.equal(gradebook("whole").trim().split("\n").length, 1 + names.length);
  t.ok(existsSync(path.join(dir, "merged", "dee", "report.html")), "the submissions' own reports come along");
  const twice = await runCli(["merge", "capitalizer", path.join(dir, "shard-1"), path.join(dir, "shard-1"), "--out", path.join(dir, "again")]);
  t.equal(twice.code, 2);
  t.match(twice.stderr, /was graded in two shards/);
});

t.test("a rubric's rules are all a submission is checked on, and a config file in the submission changes nothing", async (t) => {
  const serve = `exec "${process.execPath}" "${cliPath}" serve capitalizer --port "$PORT"\n`;
  // A student's config that would leave out most rules, and ask for one run.
  const dir = t.testdir({ class: { ana: { "run.sh": serve, "sockspec.config.json": JSON.stringify({ exclude: ["CAP-QUOTA-*"], runs: 1 }) } } });
  const result = await runCli([
    "grade",
    "capitalizer",
    path.join(dir, "class"),
    "--spawn",
    "sh {submission}/run.sh",
    "--out",
    path.join(dir, "grades"),
    "--rubric",
    "homework",
    "--runs",
    "3",
  ]);
  t.equal(result.code, 0, result.stderr);
  const report = JSON.parse(readFileSync(path.join(dir, "grades", "ana", "report.json"), "utf8")) as Report;
  const homework = JSON.parse(readFileSync(path.join(packageRoot, "protocols", "capitalizer", "rubrics", "homework.json"), "utf8")) as {
    parts: Array<{ rules: string[] }>;
  };
  t.same(report.rules.map((r) => r.id).sort(), homework.parts.flatMap((p) => p.rules).sort(), "the homework rubric's rules, no other");
  t.equal(report.runs, 3, "the grader's options, not the student's");
  t.match(readFileSync(path.join(dir, "grades", "gradebook.csv"), "utf8"), /^ana,100,100,/m);
});
