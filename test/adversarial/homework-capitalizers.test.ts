import path from "node:path";
import t from "tap";
import { check, spawnTarget } from "../../index.js";
import type { Report } from "../../conformance/report.js";
import type { CapitalizerRuleId } from "../../protocols/capitalizer/spec/rule-ids.js";
import { packageRoot } from "../../spec/paths.js";
import { python, runCli } from "../support/helpers.js";

// Homework-style capitalizers (test/adversarial/homework/) a kit must not pass where they do not serve: each checked
// on the rules its defect could pass vacuously, with each rule's outcome asserted and why.

const homework = (script: string) => `${python()} ${path.join(packageRoot, "test", "adversarial", "homework", script)}`;
const spec = path.join(packageRoot, "protocols", "capitalizer", "spec", "protocol.json");

async function checkHomework(command: string, only: CapitalizerRuleId[]): Promise<Report> {
  return check({
    protocol: "capitalizer",
    target: spawnTarget(command, { host: "127.0.0.1" }),
    only,
    runs: 30, // three runs of the rules that start a server per run
    shrinkTimeMs: 0,
  });
}

const outcomeOf = (report: Report, id: CapitalizerRuleId) => report.rules.find((r) => r.id === id)!;

t.test("a capitalizer that never answers, only drips a byte a second, passes no rule that relies on answers", async (t) => {
  const rules: CapitalizerRuleId[] = [
    "CAP-SHUTDOWN-NO-COUNT",
    "CAP-ACCEPT-AFTER-END",
    "CAP-DISCONNECT-NO-COUNT",
    "CAP-UTF8-INVALID-NO-COUNT",
    "CAP-UTF8-INVALID-ISOLATION",
    "CAP-ABRUPT-CLIENTS",
  ];
  const report = await checkHomework(homework("capitalizer_drip.py"), rules);
  for (const id of rules) {
    const { outcome, detail } = outcomeOf(report, id);
    t.equal(outcome, "fail", `${id}: ${detail.message}`);
    t.match(detail.actual, /"X"/, `${id}: the drip is what it got instead of an answer`);
  }
});

t.test("a capitalizer that serves one connection, then exits: no pass on input it never read, no crash it did not have", async (t) => {
  const report = await checkHomework(`${homework("capitalizer_one_connection.py")} ${spec}`, [
    "CAP-REPLY-UPPER",
    "CAP-UTF8-INVALID-ISOLATION",
    "CAP-UTF8-INVALID-NO-COUNT",
    "CAP-ABRUPT-CLIENTS",
    "CAP-SHUTDOWN-NO-COUNT",
    "CAP-UTF8-INVALID-CLOSE",
  ]);
  t.equal(outcomeOf(report, "CAP-REPLY-UPPER").outcome, "pass", "its one client is served right");
  // Its connection is closed, as the rule asks, but by the server's death: every run saw it, so none counts.
  const close = outcomeOf(report, "CAP-UTF8-INVALID-CLOSE");
  t.equal(close.outcome, "skip", close.detail.message);
  t.match(close.detail.message, /^not checked: in each run that found nothing wrong, the server exited with code 1 during the run/);
  for (const id of ["CAP-UTF8-INVALID-ISOLATION", "CAP-UTF8-INVALID-NO-COUNT"] as const) {
    // The invalid write goes first: read first, it kills the server, and the client after it is refused.
    const { outcome, detail } = outcomeOf(report, id);
    t.equal(outcome, "fail", `${id}: ${detail.message}`);
    t.match(detail.message, /: the server crashed$/, `${id}: blamed on the crash`);
    t.match(detail.actual, /UnicodeDecodeError/, `${id}: named with the server's last output`);
  }
  // The abrupt clients wait in the listen queue behind the client being served: nothing shows they were taken.
  const abrupt = outcomeOf(report, "CAP-ABRUPT-CLIENTS");
  t.equal(abrupt.outcome, "skip", abrupt.detail.message);
  t.match(abrupt.detail.message, /^not checked: the server did not answer c\d+, which connected after the \d abrupt client\(s\)/);
  // c2 waits in the listen queue; the kit hangs up on c1 and only then may the server die: a silence, no crash.
  const shutdown = outcomeOf(report, "CAP-SHUTDOWN-NO-COUNT");
  t.equal(shutdown.outcome, "timeout", shutdown.detail.message);
  t.notMatch(shutdown.detail.message, /crashed|exited/, "the server was alive and silent when the run failed");
});

t.test("a capitalizer that serves one client at a time, counting right, fails only CAP-CONCURRENT-CLIENTS: the rules that rely on it say so", async (t) => {
  const reliers: CapitalizerRuleId[] = ["CAP-QUOTA-LIMIT", "CAP-QUOTA-SHARED", "CAP-SHUTDOWN-NO-COUNT", "CAP-DISCONNECT-NO-COUNT"];
  const report = await checkHomework(`${homework("capitalizer_one_at_a_time.py")} ${spec}`, ["CAP-CONCURRENT-CLIENTS", "CAP-QUOTA-CLOSE", ...reliers]);
  const concurrent = outcomeOf(report, "CAP-CONCURRENT-CLIENTS");
  t.equal(concurrent.outcome, "timeout", `its own defect: ${concurrent.detail.message}`);
  t.equal(outcomeOf(report, "CAP-QUOTA-CLOSE").outcome, "pass", "one client alone is all it needs");
  for (const id of reliers) {
    const { outcome, detail } = outcomeOf(report, id);
    t.equal(outcome, "skip", `${id}: ${detail.message}`);
    t.match(
      detail.message,
      /^not checked: c\d was answered only once c1( and c\d)? closed: the server serves one connection at a time, which CAP-CONCURRENT-CLIENTS judges/,
    );
  }
});

t.test("--verify: a failure's reproduce line runs its own case, on the seed it failed on, without --verify", async (t) => {
  const result = await runCli([
    "check",
    "capitalizer",
    "--spawn",
    `${homework("capitalizer_one_connection.py")} ${spec}`,
    "--only",
    "CAP-UTF8-INVALID-ISOLATION",
    "--runs",
    "30",
    "--shrink-time",
    "0",
    "--verify",
    "2",
    "--reporter",
    "json",
  ]);
  t.equal(result.code, 1);
  const [rule] = (JSON.parse(result.stdout) as Report).rules;
  t.same(rule!.detail.verify?.outcomes, ["fail", "fail"]);
  t.match(rule!.detail.reproduce, /^cd \S+ && node \S+\/dist\/cli\/main\.js replay CAP-UTF8-INVALID-ISOLATION@20261125:\S+ --spawn /);
  t.notMatch(rule!.detail.reproduce, /--verify/);
});
