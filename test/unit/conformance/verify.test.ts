import t from "tap";
import { check, inProcessTarget, tcpServer } from "../../../index.js";
import { createBrokenCapitalizer } from "../../../protocols/capitalizer/broken/servers.js";
import { createCapitalizerServer } from "../../../protocols/capitalizer/reference/server.js";
import type { RuleResult } from "../../../conformance/report.js";
import { mergeVerified, type VerifiedRun } from "../../../conformance/verify.js";
import { exitCode } from "../../../index.js";
import { verdictLine } from "../../../conformance/report.js";

// --verify: each rule checked on several seeds, merged into one result that never hides an unmet rule.

const result = (outcome: RuleResult["outcome"], message = outcome): RuleResult => ({ id: "CAP-X", level: "MUST", outcome, detail: { message } });
const run = (seed: number, outcome: RuleResult["outcome"], waitedMs = 10): VerifiedRun => ({
  seed,
  result: result(outcome),
  margin: { waitedMs, limitMs: 2000 },
});

t.test("outcomes that agree are stable, and an answer within a fifth of the reply timeout is slow", async (t) => {
  const merged = mergeVerified([run(1, "pass", 120), run(2, "pass", 1700)]);
  t.equal(merged.outcome, "pass");
  t.same(merged.detail.verify, { seeds: [1, 2], outcomes: ["pass", "pass"], unstable: false, slow: true, closestAnswerMs: 1700 });
  t.equal(merged.detail.message, "pass; slow: an answer took 1700 ms of its 2000 ms reply timeout");
  t.equal(mergeVerified([run(1, "pass", 1599)]).detail.verify?.slow, false, "under four fifths is not slow");
});

t.test("outcomes that differ are unstable, and the worst is reported: a falsified rule is never a pass or a skip", async (t) => {
  const merged = mergeVerified([run(1, "pass"), run(2, "fail"), run(3, "skip")]);
  t.equal(merged.outcome, "fail");
  t.equal(merged.detail.verify?.unstable, true);
  t.match(merged.detail.message, /^unstable over 3 seeds \(1: pass, 2: fail, 3: skip\): fail; not checked on 1 of 3 seeds \(3: skip\)$/);
  t.equal(mergeVerified([run(1, "timeout"), run(2, "fail")]).outcome, "fail");
});

t.test("a seed that could not judge the rule (a skip) flips nothing: the seeds that judged it decide", async (t) => {
  const merged = mergeVerified([run(1, "pass"), run(2, "skip"), run(3, "pass")]);
  t.equal(merged.outcome, "pass");
  t.equal(merged.detail.verify?.unstable, false);
  t.equal(merged.detail.message, "pass; not checked on 1 of 3 seeds (2: skip)");
  t.equal(mergeVerified([run(1, "skip"), run(2, "skip")]).outcome, "skip", "judged on no seed: not checked");
});

t.test("a server that breaks only on a later seed is caught as unstable and failed, and the run fails", async (t) => {
  // Its servers are right until the rule's property runs start over on the second seed; then they answer without the reply suffix.
  let [seeds, lastRun] = [0, 0];
  const onProgress = ({ run }: { run: number }) => {
    if (run <= lastRun || lastRun === 0) seeds += 1;
    lastRun = run;
  };
  const target = inProcessTarget(
    "right on the first seed, then broken",
    tcpServer(() => (seeds < 2 ? createCapitalizerServer({}) : createBrokenCapitalizer({ noSuffix: true }))),
  );
  const report = await check({ protocol: "capitalizer", target, only: ["CAP-REPLY-SUFFIX"], runs: 5, shrinkTimeMs: 0, verify: 2, onProgress });
  const [rule] = report.rules;
  t.equal(rule!.outcome, "fail");
  t.same(rule!.detail.verify?.outcomes, ["pass", "fail"]);
  t.equal(report.summary.unstable, 1);
  t.equal(report.verify, 2);
  t.equal(exitCode(report), 1);
  t.match(verdictLine(report), /^NOT CONFORMANT: 1 MUST rule\(s\) not met; each rule on 2 seeds, 1 unstable, \d+ slow$/);
});
