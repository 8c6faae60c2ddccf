import t from "tap";
import { Violation } from "../../../conformance/check.js";
import { classify, type PropertyEvidence, type RuleEvidence } from "../../../conformance/outcome.js";
import { TargetUnavailableError } from "../../../conformance/target.js";
import type { Transcript } from "../../../transport/transcript.js";

// The outcome of a rule as a pure function of what its runs showed, case by case, with no socket.

const transcript: Transcript = { protocol: "capitalizer", events: [{ conn: "c1", type: "send", text: "x" }] };
const wrong = new Violation("a reply", '"nope"', transcript);
const silent = new Violation("a reply", "no answer within 2000 ms", transcript, { silence: true });
const crashed = silent.crashed({ code: 1, signal: null, output: "Traceback\nAttributeError: boom" });

const runs = (over: Partial<PropertyEvidence> = {}): PropertyEvidence => ({
  planned: 10,
  runs: 10,
  vacuous: 0,
  interrupted: false,
  counts: new Map(),
  slowRetries: [],
  serverEnded: [],
  ...over,
});
const rule = (over: Partial<RuleEvidence> = {}): RuleEvidence => ({ id: "CAP-X", level: "MUST", seed: 42, replayed: 0, property: runs(), ...over });
const failing = (error: unknown, over: Partial<PropertyEvidence> = {}) =>
  runs({ runs: 3, failure: { error, input: '["x"]', path: "2:0", shrinks: 1 }, ...over });

t.test("property runs that reached the server and found nothing: pass", (t) => {
  const { outcome, detail } = classify(rule({ replayed: 1 }));
  t.equal(outcome, "pass");
  t.equal(detail.message, "10 property run(s) and 1 fixture replay(s)");
  t.end();
});

t.test("a counterexample is never lost: interrupted runs, or a shrink cut short, still fail the rule", (t) => {
  t.equal(classify(rule({ property: failing(wrong, { interrupted: true }) })).outcome, "fail", "interrupted by --max-time after the failure");
  const cut = classify(
    rule({
      property: failing(wrong, {
        failure: { error: wrong, input: "[1]", path: "0", shrinks: 0, shrinkNote: "not shrunk: the shrink budget of 50 ms ran out first" },
      }),
    }),
  );
  t.equal(cut.outcome, "fail");
  t.match(cut.detail.message, /the shrink budget of 50 ms ran out first/);
  t.equal(cut.detail.case, "CAP-X@42:0");
  t.end();
});

t.test("a wrong answer fails a MUST and is non-strict for a SHOULD; silence is a timeout at any level", (t) => {
  t.equal(classify(rule({ property: failing(wrong) })).outcome, "fail");
  t.equal(classify(rule({ level: "SHOULD", property: failing(wrong) })).outcome, "non-strict");
  t.equal(classify(rule({ property: failing(silent) })).outcome, "timeout");
  t.equal(classify(rule({ level: "SHOULD", property: failing(silent) })).outcome, "timeout");
  t.end();
});

t.test("a crash fails the rule with the crash named, even when it showed as silence", (t) => {
  const { outcome, detail } = classify(rule({ property: failing(crashed) }));
  t.equal(outcome, "fail");
  t.match(detail.message, /the server crashed/);
  t.match(detail.actual, /exited with code 1; its last output:\nTraceback/);
  t.equal(detail.transcript!.events.at(-1)!.type, "exit");
  t.end();
});

t.test("the run's time limit before any failure: skip, saying so", (t) => {
  const { outcome, detail } = classify(rule({ property: runs({ runs: 4, interrupted: true }) }));
  t.equal(outcome, "skip");
  t.match(detail.message, /--max-time.*after 4 of 10/);
  t.end();
});

t.test("only vacuous runs and no fixture: skip, never a pass", (t) => {
  t.equal(classify(rule({ property: runs({ vacuous: 10 }) })).outcome, "skip");
  t.equal(classify(rule({ property: runs({ vacuous: 10 }), replayed: 1 })).outcome, "pass", "a fixture replay did reach the server");
  t.end();
});

t.test("a target that could not start a server: skip with its reason, even mid-run", (t) => {
  const unavailable = new TargetUnavailableError("server command did not listen on 127.0.0.1:1 within 10000 ms");
  for (const evidence of [rule({ error: unavailable, property: undefined }), rule({ property: failing(unavailable) })]) {
    const { outcome, detail } = classify(evidence);
    t.equal(outcome, "skip");
    t.match(detail.message, /^not checked: server command did not listen/);
  }
  t.end();
});

t.test("a check that broke on something else is unmet, and says it could not complete", (t) => {
  const { outcome, detail } = classify(rule({ property: failing(new TypeError("x is undefined")) }));
  t.equal(outcome, "fail");
  t.match(detail.message, /the check could not complete: TypeError: x is undefined/);
  t.end();
});

t.test("a fixture replay that differs: unmet, naming the fixture", (t) => {
  const { outcome, detail } = classify(rule({ fixture: { file: "protocols/capitalizer/fixtures/one-client.json", error: wrong }, property: undefined }));
  t.equal(outcome, "fail");
  t.equal(detail.fixture, "protocols/capitalizer/fixtures/one-client.json");
  t.end();
});

t.test("a rule the target cannot check: skip, with the reason", (t) => {
  t.same(classify(rule({ skipped: "not checked: kills servers", property: undefined })), {
    outcome: "skip",
    detail: { message: "not checked: kills servers" },
  });
  t.end();
});

t.test("a replayed case: a deterministic rule that passes no longer fails; a timing-dependent one proves nothing", (t) => {
  const replay = { path: "3:1", attempts: 1, timing: false };
  t.equal(classify(rule({ property: runs({ runs: 1 }), replay })).outcome, "pass");
  const timing = classify(rule({ property: runs({ runs: 20 }), replay: { ...replay, attempts: 20, timing: true } }));
  t.equal(timing.outcome, "skip");
  t.match(timing.detail.message, /^not reproduced in 20 attempt\(s\); CAP-X depends on timing/);
  t.notMatch(timing.detail.message, /no longer fails/);
  t.equal(classify(rule({ property: failing(wrong), replay: { ...replay, timing: true } })).outcome, "fail", "reproduced");
  t.end();
});
