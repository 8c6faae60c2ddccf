// How a run exits, decided in one place (conformance/exit-code.ts): each case, without sockets.
import t from "tap";
import type { BaselineVerdict } from "../../../conformance/baseline.js";
import { EXIT, runExit } from "../../../conformance/exit-code.js";
import { summarize, type Outcome, type Report, type RuleResult } from "../../../conformance/report.js";

const rule = (id: string, outcome: Outcome, level: "MUST" | "SHOULD" = "MUST"): RuleResult => ({
  id,
  level,
  outcome,
  detail: { statement: "", message: outcome === "skip" ? "not checked: needs servers of its own" : outcome },
});

const report = (rules: RuleResult[], extra: Partial<Report> = {}): Report => ({
  protocol: "p",
  target: "t",
  seed: 1,
  runs: 1,
  strict: false,
  rules,
  summary: summarize(rules, extra.strict ?? false, extra.failOnSkip ?? false),
  ...extra,
});

const held: BaselineVerdict = { newFailures: [], nowPassing: [], unchecked: [], ok: true };
const broken: BaselineVerdict = { ...held, newFailures: [rule("A-NEW", "fail")], ok: false };

t.test("the verdict decides: 0 when no MUST failed, 1 when one did", async (t) => {
  t.equal(runExit({ report: report([rule("A-ONE", "pass"), rule("A-TWO", "non-strict", "SHOULD")]) }).code, EXIT.ok);
  t.equal(runExit({ report: report([rule("A-ONE", "pass"), rule("A-TWO", "fail")]) }).code, EXIT.unmet);
  t.equal(runExit({ report: report([rule("A-ONE", "timeout")]) }).code, EXIT.unmet, "a MUST that timed out is unmet");
  t.equal(runExit({ report: report([rule("A-TWO", "non-strict", "SHOULD")], { strict: true }) }).code, EXIT.unmet, "--strict counts SHOULDs");
  t.equal(runExit({ report: report([rule("A-ONE", "pass"), rule("A-TWO", "skip")], { failOnSkip: true }) }).code, EXIT.unmet, "--fail-on-skip");
});

t.test("a run that checked nothing, or was interrupted, is no verdict: 2, saying why", async (t) => {
  const nothing = runExit({ report: report([rule("A-ONE", "skip"), rule("A-TWO", "skip")]) });
  t.equal(nothing.code, EXIT.notChecked);
  t.match(nothing.why, /no rule ran: all 2 selected were skipped \(not checked: needs servers of its own\)/);
  const interrupted = runExit({ report: report([rule("A-ONE", "pass"), rule("A-TWO", "skip")], { interrupted: true }), maxTimeS: 5 });
  t.equal(interrupted.code, EXIT.notChecked);
  t.match(interrupted.why, /interrupted: the run reached --max-time 5 s, with 1 rule\(s\) skipped or not run/);
});

t.test("a baseline decides instead of the verdict, and is not applied to a run that decided nothing", async (t) => {
  const failing = report([rule("A-ONE", "fail")]);
  t.equal(runExit({ report: failing, baseline: () => held }).code, EXIT.ok, "an accepted failure");
  t.equal(runExit({ report: report([rule("A-ONE", "pass")]), baseline: () => broken }).code, EXIT.unmet, "a new failure");
  t.equal(runExit({ report: failing, baseline: () => "written" }).code, EXIT.ok, "a baseline written from the run");
  let applied = false;
  const apply = () => ((applied = true), held);
  t.equal(runExit({ report: report([rule("A-ONE", "skip")]), baseline: apply }).code, EXIT.notChecked);
  t.equal(runExit({ report: report([rule("A-ONE", "fail")], { interrupted: true }), baseline: apply }).code, EXIT.notChecked);
  t.notOk(applied, "neither run touched the baseline");
});

t.test("a replayed timing-dependent case that passed proves nothing: 3; the kit's own bug: 70", async (t) => {
  t.equal(runExit({ report: report([rule("A-ONE", "skip")]), timingReplay: true }).code, EXIT.notReproduced);
  t.equal(runExit({ report: report([rule("A-ONE", "fail")]), timingReplay: true }).code, EXIT.unmet, "it failed again");
  t.equal(runExit({ report: report([rule("A-ONE", "pass")]), internalError: true }).code, EXIT.internalError);
});
