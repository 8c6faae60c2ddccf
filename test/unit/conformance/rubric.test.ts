import { readdirSync } from "node:fs";
import path from "node:path";
import t from "tap";
import type { Report, RuleResult } from "../../../conformance/report.js";
import { checkedRubric, everyRuleOnePoint, loadRubric, scoreReport, sharesOf, type Rubric } from "../../../conformance/rubric.js";
import { builtInProtocols } from "../../../protocols/registry.js";
import { capitalizer } from "../../../protocols/capitalizer/spec/index.js";

const result = (id: string, outcome: RuleResult["outcome"]): RuleResult => ({ id, level: "MUST", outcome, detail: { message: outcome } });
const report = (rules: RuleResult[]): Report =>
  ({ protocol: "capitalizer", target: "t", seed: 1, runs: 1, strict: false, rules, summary: { ok: true } }) as unknown as Report;

t.test("a part's points are shared in hundredths that add up to them exactly", (t) => {
  t.same(sharesOf(20, 3), [667, 667, 666]);
  t.same(sharesOf(30, 2), [1500, 1500]);
  t.same(
    sharesOf(1, 7).reduce((a, b) => a + b),
    100,
  );
  t.end();
});

t.test("each rule earns its outcome's fraction of its share; a part met in full scores its points", (t) => {
  const rubric: Rubric = {
    protocol: "capitalizer",
    title: "test",
    scoring: { timeout: 0.25 },
    parts: [
      { name: "Shutdown", points: 20, rules: ["CAP-SHUTDOWN-*"] },
      { name: "Limits", points: 10, rules: ["CAP-IDLE-TIMEOUT", "CAP-CONNECTION-LIMIT"], visibility: "after_due_date" },
    ],
  };
  const scored = scoreReport(
    report([
      result("CAP-SHUTDOWN-CLOSE", "pass"),
      result("CAP-SHUTDOWN-NO-COUNT", "pass"),
      result("CAP-SHUTDOWN-EXACT", "pass"),
      result("CAP-IDLE-TIMEOUT", "non-strict"),
      result("CAP-CONNECTION-LIMIT", "timeout"),
    ]),
    checkedRubric(rubric, capitalizer),
    capitalizer,
  );
  t.same(scored.parts, [
    { name: "Shutdown", score: 20, max: 20 },
    { name: "Limits", score: 3.75, max: 10 },
  ]);
  t.equal(scored.score, 23.75);
  t.equal(scored.max, 30);
  t.same(
    scored.rules.map((r) => [r.id, r.score, r.max, r.visibility]),
    [
      ["CAP-SHUTDOWN-CLOSE", 6.67, 6.67, "visible"],
      ["CAP-SHUTDOWN-NO-COUNT", 6.67, 6.67, "visible"],
      ["CAP-SHUTDOWN-EXACT", 6.66, 6.66, "visible"],
      ["CAP-IDLE-TIMEOUT", 2.5, 5, "after_due_date"],
      ["CAP-CONNECTION-LIMIT", 1.25, 5, "after_due_date"],
    ],
  );
  t.end();
});

t.test("a graded rule the run left out scores as not checked, saying so", (t) => {
  const scored = scoreReport(report([]), everyRuleOnePoint(capitalizer), capitalizer);
  t.equal(scored.score, 0);
  t.equal(scored.max, capitalizer.rules.length);
  t.equal(scored.rules[0]!.result.detail.message, "not checked: the run left this rule out");
  t.end();
});

t.test("a rubric that disagrees with the catalogue is refused, saying where", (t) => {
  const part = (rules: string[], name = "P") => ({ name, points: 1, rules });
  t.throws(() => checkedRubric({ protocol: "bank", title: "x", parts: [part(["BANK-*"])] }, capitalizer), /is for bank, not capitalizer/);
  t.throws(() => checkedRubric({ protocol: "capitalizer", title: "x", parts: [part(["CAP-NOPE"])] }, capitalizer), /names CAP-NOPE, which is no rule/);
  t.throws(
    () => checkedRubric({ protocol: "capitalizer", title: "x", parts: [part(["CAP-QUOTA-*"], "A"), part(["CAP-QUOTA-LIMIT"], "B")] }, capitalizer),
    /CAP-QUOTA-LIMIT is in two parts, "A" and "B"/,
  );
  t.end();
});

t.test("every built-in protocol ships a homework and a full rubric that fit its catalogue; the full one grades every rule", (t) => {
  for (const module of builtInProtocols) {
    const folder = path.join(module.dir, "rubrics");
    t.same(readdirSync(folder).sort(), ["full.json", "homework.json"], module.spec.protocol);
    for (const file of readdirSync(folder)) {
      const rubric = loadRubric(path.join(folder, file), module.spec);
      const graded = new Set(scoreReport(report([]), rubric, module.spec).rules.map((r) => r.id));
      if (file === "full.json") t.same([...graded].sort(), module.spec.rules.map((r) => r.id).sort(), `${module.spec.protocol}: full grades every rule`);
      else t.ok(graded.size > 0 && graded.size < module.spec.rules.length, `${module.spec.protocol}: homework grades some rules`);
    }
  }
  t.end();
});
