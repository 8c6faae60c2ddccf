import { readFile, stat, writeFile } from "node:fs/promises";
import path from "node:path";
import { XMLParser, XMLValidator } from "fast-xml-parser";
import t from "tap";
import { Parser, type Result } from "tap-parser";
import { capitalizer, check, inProcessTarget, tcpServer, udpServer, type Report } from "../../../index.js";
import { formatHuman } from "../../../conformance/reporters/human.js";
import { formatHtml } from "../../../conformance/reporters/html.js";
import { formatJunit } from "../../../conformance/reporters/junit.js";
import { formatTap } from "../../../conformance/reporters/tap.js";
import { brokenCapitalizerLimits, createBrokenCapitalizer } from "../../../protocols/capitalizer/broken/servers.js";
import { brokenBankLimits, createBrokenBank } from "../../../protocols/bank/broken/servers.js";
import { cliPath, runCli, runProgram } from "../../support/helpers.js";
import { browserPage, noBrowser, type BrowserWindow } from "../../support/browser.js";

/**
 * One real report with every outcome: a capitalizer that answers invalid UTF-8 as a sentence passes the
 * reply rule, fails a MUST, misses a SHOULD; the bank's crash test skips in-process.
 */
async function reports(): Promise<Report[]> {
  const capitalizer = await check({
    protocol: "capitalizer",
    target: inProcessTarget(
      "answers invalid UTF-8",
      tcpServer(() => createBrokenCapitalizer({ invalidUtf8: "answer" })),
    ),
    only: ["CAP-REPLY-UPPER", "CAP-UTF8-INVALID-NO-COUNT", "CAP-UTF8-INVALID-CLOSE"],
    runs: 5,
    limits: brokenCapitalizerLimits,
    timeouts: { replyMs: 300 },
    shrinkTimeMs: 1000,
  });
  const bank = await check({
    protocol: "bank",
    target: inProcessTarget(
      "no throttle",
      udpServer((workdir) => createBrokenBank(workdir, { neverThrottles: true })),
    ),
    only: ["BANK-BALANCE", "BANK-THROTTLE", "BANK-CRASH-DURABLE"],
    runs: 3,
    limits: brokenBankLimits,
  });
  return [capitalizer, bank];
}

const [broken, bank] = await reports();

t.test("the runs behind these tests have every outcome", async (t) => {
  t.same(
    broken!.rules.map((r) => r.outcome),
    ["pass", "fail", "timeout"],
  );
  t.same(
    bank!.rules.map((r) => r.outcome),
    ["pass", "non-strict", "skip"],
  );
});

/** Parses TAP with tap's own parser; resolves with the test points and the final counts. */
function parseTap(text: string): Promise<{ points: Result[]; ok: boolean; counts: { pass: number; fail: number; skip: number; todo: number } }> {
  return new Promise((resolve) => {
    const points: Result[] = [];
    const parser = new Parser((final) => resolve({ points, ok: final.ok, counts: { pass: final.pass, fail: final.fail, skip: final.skip, todo: final.todo } }));
    parser.on("assert", (point: Result) => points.push(point));
    parser.end(text);
  });
}

t.test("TAP 14: one test point per rule, YAML diagnostics on failures, as tap's parser reads them", async (t) => {
  const parsed = await parseTap(formatTap(broken!));
  t.same(
    parsed.points.map((p) => [p.name, p.ok, Boolean(p.todo)]),
    [
      ["CAP-REPLY-UPPER", true, false],
      ["CAP-UTF8-INVALID-NO-COUNT", false, false],
      ["CAP-UTF8-INVALID-CLOSE", false, true],
    ],
  );
  t.equal(parsed.ok, false, "a failed MUST fails the TAP run");
  const failure = parsed.points[1]!.diag as Record<string, unknown>;
  const rule = broken!.rules[1]!;
  t.equal(failure.level, "MUST");
  t.equal(failure.expected, rule.detail.expected);
  t.equal(failure.actual, rule.detail.actual);
  t.equal(failure.seed, rule.detail.seed);
  t.match(failure.transcript, /c\d > /, "the transcript is a YAML block");

  const skipped = await parseTap(formatTap(bank!));
  t.equal(skipped.counts.skip, 1);
  t.match(skipped.points[2]!.skip, /--spawn/);
  t.equal(skipped.ok, true, "a skip fails nothing");

  const strict = await parseTap(formatTap({ ...broken!, strict: true }));
  t.notOk(strict.points[2]!.todo, "with --strict an unmet SHOULD is a plain failure");
});

t.test("JUnit XML: well-formed, one test case per rule, failures with expected and observed, skips with the reason", async (t) => {
  for (const report of [broken!, bank!]) t.equal(XMLValidator.validate(formatJunit(report)), true);
  const parser = new XMLParser({ ignoreAttributes: false, attributeNamePrefix: "", isArray: (name) => name === "testcase" });
  const suite = parser.parse(formatJunit(broken!)).testsuites.testsuite;
  t.same(
    suite.testcase.map((c: { name: string }) => c.name),
    broken!.rules.map((r) => r.id),
  );
  t.equal(suite.failures, "1");
  const failure = suite.testcase[1].failure;
  t.equal(failure.type, "MUST");
  t.match(failure["#text"], `expected: ${broken!.rules[1]!.detail.expected}`);
  t.match(failure["#text"], `observed: ${broken!.rules[1]!.detail.actual}`);
  t.match(suite.testcase[2]["system-out"], /^unmet SHOULD/);
  const bankSuite = parser.parse(formatJunit(bank!)).testsuites.testsuite;
  t.equal(bankSuite.skipped, "1");
  t.match(bankSuite.testcase[2].skipped.message, /--spawn/);
});

t.test("JUnit XML carries bytes XML cannot: they are written as escapes", async (t) => {
  const rule = broken!.rules[1]!;
  const odd = { ...broken!, rules: [{ ...rule, detail: { ...rule.detail, actual: "\u0000\u0007<&>\ud800 done" } }] };
  const xml = formatJunit(odd);
  t.equal(XMLValidator.validate(xml), true);
  t.match(xml, "\\u0000\\u0007&lt;&amp;&gt;\\ud800 done");
});

t.test("sockspec check --reporter tap|junit --out FILE writes the report and still shows progress", async (t) => {
  const dir = t.testdir();
  for (const reporter of ["tap", "junit"]) {
    const out = path.join(dir, `report.${reporter}`);
    const result = await runCli(["check", "capitalizer", "--only", "CAP-REPLY-UPPER", "--runs", "3", "--reporter", reporter, "--out", out]);
    t.equal(result.code, 0, result.stderr);
    t.match(result.stdout, /PASS\s+CAP-REPLY-UPPER/);
    const written = await readFile(out, "utf8");
    t.match(written, reporter === "tap" ? /^TAP version 14\n/ : /^<\?xml/);
  }
});

t.test("sockspec check --list prints the catalogue and touches no server", async (t) => {
  // Port 1 has no server: a check would exit 2; a listing never connects.
  const result = await runCli(["check", "bank", "--list", "--port", "1", "--only", "BANK-BALANCE,BANK-THROTTLE"]);
  t.equal(result.code, 0, result.stderr);
  t.match(result.stdout, /^BANK-BALANCE\s+MUST\s+any-server\s+A balance request MUST/);
  t.match(result.stdout, /BANK-THROTTLE\s+SHOULD/);
  t.match(result.stdout, /2 rules\n$/);
  const json = await runCli(["check", "capitalizer", "--list", "--reporter", "json"]);
  t.equal(JSON.parse(json.stdout).length, capitalizer.rules.length);
  const out = path.join(t.testdir(), "rules.json");
  const toFile = await runCli(["check", "capitalizer", "--list", "--reporter", "json", "--out", out]);
  t.equal(toFile.stdout, "", "--out takes the listing");
  t.same(JSON.parse(await readFile(out, "utf8")), JSON.parse(json.stdout));
});

/** Runs the CLI on a pseudo-terminal (util-linux `script`), as a user at a terminal would. */
function onTerminal(args: string[], env: NodeJS.ProcessEnv = {}) {
  // The test runner may set NO_COLOR itself: the terminal starts without it unless the test gives it.
  const unset = env.NO_COLOR === undefined ? ["env", "-u", "NO_COLOR"] : [];
  const command = [...unset, process.execPath, cliPath, ...args].map((word) => `'${word}'`).join(" ");
  return runProgram("script", ["-qfec", command, "/dev/null"], { env });
}

t.test("on a terminal the human reporter shows progress and colour; NO_COLOR and a pipe drop the colour", async (t) => {
  const args = ["check", "capitalizer", "--only", "CAP-REPLY-UPPER", "--runs", "4"];
  const tty = await onTerminal(args);
  t.equal(tty.code, 0, tty.stderr);
  for (let n = 1; n <= 4; n++) t.match(tty.stdout, `      CAP-REPLY-UPPER: property run ${n} of 4`);
  t.match(tty.stdout, "\r\x1b[K", "the status line is rewritten, not logged");
  t.match(tty.stdout, "\x1b[32mPASS\x1b[0m");
  const plain = await onTerminal(args, { NO_COLOR: "1" });
  t.notMatch(plain.stdout, "\x1b[32m");
  t.match(plain.stdout, "property run 4 of 4", "progress is no colour: it stays");
  const piped = await runCli(args);
  t.notMatch(piped.stdout, /\x1b\[/, "a pipe gets neither");
});

t.test("the HTML report, rendered in headless Chromium: summary counts, verdict and the failure's details", { skip: noBrowser }, async (t) => {
  const page = await browserPage(t);
  const file = path.join(t.testdir(), "report.html");
  await writeFile(file, formatHtml(broken!));
  await page.goto(`file://${file}`);
  const count = (outcome: string) => page.locator(`#summary [data-count="${outcome}"]`).innerText();
  t.same(
    [await count("total"), await count("pass"), await count("fail"), await count("non-strict"), await count("timeout"), await count("skip")],
    ["3", "1", "1", "0", "1", "0"],
  );
  t.equal(await page.locator("#verdict").innerText(), "NOT CONFORMANT: 1 MUST rule(s) and 1 SHOULD rule(s) not met");
  t.equal(await page.locator("#coverage").innerText(), "3 of 3 rules checked.");
  const failed = page.locator(`section[data-outcome="fail"]`);
  t.equal(await failed.count(), 1);
  t.match(await failed.innerText(), broken!.rules[1]!.detail.expected!);
  t.match(await failed.locator("pre").innerText(), /c\d > /, "the transcript is shown");
  t.equal(await page.locator("#rules tr.fail td").first().innerText(), "CAP-UTF8-INVALID-NO-COUNT");
  const background = await page.locator("#rules tr.fail").evaluate((row) => (globalThis as unknown as BrowserWindow).getComputedStyle(row).backgroundColor);
  t.equal(background, "rgb(248, 208, 208)", "a failure is coloured as one");
  const screenshot = path.join(t.testdir(), "report.png");
  await page.screenshot({ path: screenshot, fullPage: true });
  t.ok((await stat(screenshot)).size > 1000, "a screenshot of the rendered report");
});

t.test("the HTML report is one page with no external resource and no script", async (t) => {
  const html = formatHtml(bank!);
  t.notMatch(html, /<script|<link|src=/);
  t.match(html, /data-count="skip">1</);
  t.match(html, /<section id="BANK-CRASH-DURABLE" class="rule skip" data-outcome="skip">/);
});

t.test("ndjson: a JSON line per rule as it finishes, then one with the summary", async (t) => {
  const out = path.join(t.testdir(), "run.ndjson");
  const result = await runCli(["check", "capitalizer", "--only", "CAP-REPLY-*,CAP-QUOTA-LIMIT", "--runs", "2", "--reporter", "ndjson", "--out", out]);
  t.equal(result.code, 0, result.stderr);
  const lines = (await readFile(out, "utf8"))
    .trimEnd()
    .split("\n")
    .map((line) => JSON.parse(line));
  t.same(
    lines.slice(0, -1).map((r) => `${r.id} ${r.outcome}`),
    ["CAP-REPLY-UPPER pass", "CAP-REPLY-SUFFIX pass", "CAP-QUOTA-LIMIT pass"],
  );
  t.same(lines.at(-1).summary, { total: 3, checked: 3, pass: 3, fail: 0, "non-strict": 0, timeout: 0, skip: 0, failing: 0, ok: true });
  t.notOk("rules" in lines.at(-1), "the rules were streamed, not repeated");
});

t.test("a run that checked nothing still writes its report, then exits 2", async (t) => {
  const result = await runCli(["check", "bank", "--port", "1", "--only", "BANK-DEPOSIT", "--reporter", "json"]);
  t.equal(result.code, 2);
  const report = JSON.parse(result.stdout) as Report;
  t.equal(report.summary.ok, false);
  t.equal(report.rules[0]!.outcome, "skip");
});

t.test("a timeout is its own outcome in every reporter, with the transcript up to the silence", async (t) => {
  const timedOut = broken!.rules[2]!;
  t.equal(timedOut.outcome, "timeout");
  t.equal(timedOut.detail.transcript!.events.at(-1)!.type, "silence", "the transcript ends where the answer did not come");
  t.equal(broken!.summary.timeout, 1);
  t.match(formatHuman(broken!, { color: false }), /^TIMEOUT\s+CAP-UTF8-INVALID-CLOSE\s+SHOULD/m);
  const parser = new XMLParser({ ignoreAttributes: false, attributeNamePrefix: "", isArray: (name) => name === "testcase" });
  const strict = parser.parse(formatJunit({ ...broken!, strict: true })).testsuites.testsuite;
  t.equal(strict.testcase[2].error.type, "timeout", "JUnit: an error, where a wrong answer is a failure");
  t.same([strict.failures, strict.errors], ["1", "1"]);
  t.match(formatHtml(broken!), /<section id="CAP-UTF8-INVALID-CLOSE" class="rule timeout" data-outcome="timeout">/);
});
