import { readFile, writeFile } from "node:fs/promises";
import path from "node:path";
import t from "tap";
import { compareBaseline, loadBaseline, updatedBaseline, type Baseline } from "../../../conformance/baseline.js";
import type { Report, RuleResult } from "../../../conformance/report.js";
import { check, inProcessTarget, tcpServer } from "../../../index.js";
import { packageRoot } from "../../../spec/paths.js";
import { brokenCapitalizerLimits, createBrokenCapitalizer } from "../../../protocols/capitalizer/broken/servers.js";
import { originalsDir, originalsSkipReason, python, runCli } from "../../support/helpers.js";

const write = async (file: string, baseline: Baseline) => writeFile(file, JSON.stringify(baseline));

t.test("a baseline fails a run on a newly injected defect, and passes the same run once it accepts it", async (t) => {
  const report = await check({
    protocol: "capitalizer",
    target: inProcessTarget(
      "disconnect counted",
      tcpServer(() => createBrokenCapitalizer({ countsDisconnect: true })),
    ),
    only: ["CAP-REPLY-UPPER", "CAP-DISCONNECT-NO-COUNT"],
    runs: 5,
    limits: brokenCapitalizerLimits,
    shrinkTimeMs: 500,
  });
  const none = compareBaseline(report, { protocol: "capitalizer", accepted: [] });
  t.same(
    none.newFailures.map((r) => r.id),
    ["CAP-DISCONNECT-NO-COUNT"],
  );
  t.notOk(none.ok);
  const accepting = compareBaseline(report, { protocol: "capitalizer", accepted: [{ id: "CAP-DISCONNECT-NO-COUNT", reason: "known" }] });
  t.ok(accepting.ok);
});

t.test("--baseline-update keeps the entries of the rules the run did not check, with their reasons", async (t) => {
  const rule = (id: string, outcome: RuleResult["outcome"]): RuleResult => ({
    id,
    level: "MUST",
    outcome,
    detail: { message: outcome, actual: "11 answered" },
  });
  // A bare --port checks a few rules: the others are skipped, or not selected at all.
  const report = {
    protocol: "capitalizer",
    rules: [rule("CAP-REPLY-UPPER", "pass"), rule("CAP-QUOTA-RACE", "fail"), rule("CAP-QUOTA-LIMIT", "skip")],
  } as Report;
  const previous: Baseline = {
    protocol: "capitalizer",
    accepted: [
      { id: "CAP-QUOTA-LIMIT", reason: "skipped by this run" },
      { id: "CAP-ACCEPT-AFTER-END", reason: "not selected by this run" },
      { id: "CAP-REPLY-UPPER", reason: "passes now" },
    ],
  };
  t.same(updatedBaseline(report, previous, "update").accepted, [
    { id: "CAP-QUOTA-RACE", reason: "observed: 11 answered" },
    { id: "CAP-QUOTA-LIMIT", reason: "skipped by this run" },
    { id: "CAP-ACCEPT-AFTER-END", reason: "not selected by this run" },
  ]);
});

t.test("the shipped baselines are valid and name rules of their protocols", async (t) => {
  for (const name of ["original-capitalizer", "original-bank", "original-status"]) {
    const baseline = loadBaseline(path.join(packageRoot, "baselines", `${name}.json`));
    t.ok(baseline.accepted.length > 0, name);
  }
  t.throws(() => loadBaseline(path.join(packageRoot, "package.json")), /does not match baseline.schema.json/);
});

t.test("CLI: --baseline says what now passes; --baseline-prune drops it; --baseline-update writes the unmet rules", async (t) => {
  const file = path.join(t.testdir(), "baseline.json");
  await write(file, { protocol: "capitalizer", accepted: [{ id: "CAP-REPLY-UPPER", reason: "thought broken" }] });
  const args = ["check", "capitalizer", "--only", "CAP-REPLY-*", "--runs", "2", "--baseline", file];
  const fixed = await runCli(args);
  t.equal(fixed.code, 0, fixed.stderr);
  t.match(fixed.stdout, /FIXED CAP-REPLY-UPPER\s+passes now/);
  t.match(fixed.stdout, /1 accepted, 0 new failure\(s\), 1 now pass\. OK/);
  t.equal((await runCli([...args, "--baseline-prune"])).code, 0);
  t.same((JSON.parse(await readFile(file, "utf8")) as Baseline).accepted, []);
  t.equal((await runCli([...args, "--baseline-update"])).code, 0);
  t.same((JSON.parse(await readFile(file, "utf8")) as Baseline).accepted, [], "the reference leaves nothing unmet");
});

t.test("CLI: the original fails on a defect its baseline does not accept, and passes with the shipped baseline", { skip: originalsSkipReason() }, async (t) => {
  const spawn = `${python()} ${path.join(originalsDir, "tcpserver.py")}`;
  const args = ["check", "capitalizer", "--spawn", spawn, "--only", "CAP-REPLY-UPPER,CAP-DISCONNECT-NO-COUNT", "--runs", "5", "--shrink-time", "500"];
  const shipped = await runCli([...args, "--baseline", path.join(packageRoot, "baselines", "original-capitalizer.json")]);
  t.equal(shipped.code, 0, shipped.stdout + shipped.stderr);
  t.match(shipped.stdout, /0 new failure\(s\), 0 now pass, 7 not checked\. OK/);
  const file = path.join(t.testdir(), "partial.json");
  await write(file, { protocol: "capitalizer", accepted: [] });
  const partial = await runCli([...args, "--baseline", file]);
  t.equal(partial.code, 1);
  t.match(partial.stdout, /NEW   CAP-DISCONNECT-NO-COUNT\s+not in the baseline/);
  t.equal((await runCli([...args, "--baseline", file, "--baseline-update"])).code, 0);
  const updated = JSON.parse(await readFile(file, "utf8")) as Baseline;
  t.same(
    updated.accepted.map((a) => a.id),
    ["CAP-DISCONNECT-NO-COUNT"],
  );
  t.match(updated.accepted[0]!.reason, /^observed: /);
});

t.test("CLI: baseline arguments are checked", async (t) => {
  for (const [args, message] of [
    [["check", "capitalizer", "--baseline-update"], /--baseline-update needs --baseline FILE/],
    [["check", "capitalizer", "--baseline", "/nonexistent/b.json"], /no baseline at \/nonexistent\/b\.json/],
    [["check", "bank", "--baseline", path.join(packageRoot, "baselines", "original-capitalizer.json")], /it is for capitalizer, not bank/],
    [["check", "capitalizer", "--baseline", "/dev/zero"], /^sockspec: bad baseline \/dev\/zero: \/dev\/zero is not a regular file\n$/],
    [["check", "capitalizer", "--baseline", "/nonexistent/b.json", "--baseline-update"], /^sockspec: --baseline-update: no folder \/nonexistent to write/],
  ] as const) {
    const result = await runCli([...args]);
    t.equal(result.code, 2);
    t.match(result.stderr, message);
  }
});
