import { setTimeout as delay } from "node:timers/promises";
import fc from "fast-check";
import t from "tap";
import { Violation } from "../../../conformance/check.js";
import { classify } from "../../../conformance/outcome.js";
import { RunCeilingError, runProperty, SLOW_RUN_RETRIES } from "../../../conformance/property-run.js";
import { TooSlowToJudgeError } from "../../../conformance/target.js";

// How runProperty treats a run the kit was too slow to judge, with properties of fixed behaviour (no socket).

const settings = { seed: 7, numRuns: 5, deadline: Infinity, shrinkTimeMs: 0 };
const tooSlow = () => new TooSlowToJudgeError("the server closed c1 after the idle timeout");

t.test("a run the kit was too slow to judge is made again, and the rule passes when the runs made again pass", async (t) => {
  let calls = 0;
  const evidence = await runProperty(
    () =>
      fc.asyncProperty(fc.nat(), async () => {
        calls += 1;
        if (calls <= 2) throw tooSlow();
      }),
    settings,
  );
  t.equal(evidence.failure, undefined);
  t.equal(evidence.runs, 5, "every planned run was made");
  t.equal(calls, 7, "five runs, two of them made twice");
  t.same(evidence.slowRetries, ["the server closed c1 after the idle timeout", "the server closed c1 after the idle timeout"]);
  const { outcome, detail } = classify({ id: "CAP-X", level: "MUST", seed: 7, replayed: 0, property: evidence });
  t.equal(outcome, "pass");
  t.match(detail.message, /; 2 made again after the kit was too slow to judge them$/);
  t.same(detail.retries, { count: 2, why: ["the server closed c1 after the idle timeout"] });
});

t.test("a run never judged is made again a bounded number of times, then the rule is not checked, saying so", async (t) => {
  let calls = 0;
  const evidence = await runProperty(
    () =>
      fc.asyncProperty(fc.nat(), async () => {
        calls += 1;
        throw tooSlow();
      }),
    settings,
  );
  t.equal(calls, 1 + SLOW_RUN_RETRIES);
  t.ok(evidence.failure?.error instanceof TooSlowToJudgeError);
  const { outcome, detail } = classify({ id: "CAP-X", level: "MUST", seed: 7, replayed: 0, property: evidence });
  t.equal(outcome, "skip", "never pass, never fail");
  t.match(detail.message, new RegExp(`^not checked: the server closed c1 .*made again ${SLOW_RUN_RETRIES} time\\(s\\), on fresh servers, and never judged`));
});

t.test("a failure is never made again", async (t) => {
  let calls = 0;
  const evidence = await runProperty(
    () =>
      fc.asyncProperty(fc.nat(), async () => {
        calls += 1;
        throw new Violation("a reply", '"nope"');
      }),
    settings,
  );
  t.equal(calls, 1);
  t.same(evidence.slowRetries, []);
  t.equal(classify({ id: "CAP-X", level: "MUST", seed: 7, replayed: 0, property: evidence }).outcome, "fail");
});

t.test("a counterexample prints as plain data, fast-check's null-prototype records included", async (t) => {
  const evidence = await runProperty(
    () =>
      fc.asyncProperty(fc.record({ operations: fc.array(fc.record({ amount: fc.constant("5") }), { minLength: 1, maxLength: 1 }) }), async () => {
        throw new Violation("a reply", '"nope"');
      }),
    settings,
  );
  t.equal(evidence.failure?.input, '[{"operations":[{"amount":"5"}]}]');
});

t.test("past the rule's time budget no run starts, and the rule is judged on the runs made, saying so", async (t) => {
  const evidence = await runProperty(() => fc.asyncProperty(fc.nat(), () => delay(100)), { ...settings, numRuns: 50, budgetMs: 1000 });
  t.ok(evidence.runs > 0 && evidence.runs < 50, `${evidence.runs} of 50 runs made`);
  t.equal(evidence.budgetReached, 1000);
  t.equal(evidence.interrupted, false, "not the run's --max-time");
  const { outcome, detail } = classify({ id: "CAP-X", level: "MUST", seed: 7, replayed: 0, property: evidence });
  t.equal(outcome, "pass");
  t.match(detail.message, /^\d+ of 50 property run\(s\) \(the rule's time budget of 1 s ran out\)$/);
});

t.test("a run that never ends is given up at its ceiling: the rule is not checked, saying so, and the hooks after it run", async (t) => {
  let afterRuns = 0;
  const evidence = await runProperty(
    () =>
      fc
        .asyncProperty(fc.nat(), () => new Promise<void>(() => {}))
        .afterEach(async (previous) => {
          await previous();
          afterRuns += 1;
        }),
    { ...settings, runCeilingMs: 100 },
  );
  t.ok(evidence.failure?.error instanceof RunCeilingError);
  t.equal(afterRuns, 1, "the hooks after the run stopped its server");
  const { outcome, detail } = classify({ id: "CAP-X", level: "MUST", seed: 7, replayed: 0, property: evidence });
  t.equal(outcome, "skip", "never pass, never fail");
  t.equal(detail.message, "not checked: a property run did not end within 100 ms: its check waits for something that never comes");
});

t.test("the run's deadline (--max-time) cuts a run under way: the rule is not finished, neither passed nor failed", async (t) => {
  let started = 0;
  const evidence = await runProperty(
    () =>
      fc.asyncProperty(fc.nat(), async () => {
        started += 1;
        await new Promise<void>(() => {});
      }),
    { ...settings, deadline: performance.now() + 100 },
  );
  t.equal(started, 1, "no run starts after the cut");
  t.equal(evidence.failure, undefined);
  t.equal(evidence.interrupted, true);
  const { outcome, detail } = classify({ id: "CAP-X", level: "MUST", seed: 7, replayed: 0, property: evidence });
  t.equal(outcome, "skip");
  t.match(detail.message, /^not finished: the run's time limit \(--max-time\) stopped it/);
});
