import t from "tap";
import { OrderedResults } from "../../../conformance/ordered-results.js";
import type { RuleResult } from "../../../conformance/report.js";

const result = (id: string): RuleResult => ({ id, level: "MUST", outcome: "pass", detail: { message: "" } });

t.test("results finished out of order are told in catalogue order, each once those before it are known", (t) => {
  const told: string[] = [];
  const ordered = new OrderedResults((r) => told.push(r.id));
  ordered.finish(2, result("C"));
  ordered.finish(1, result("B"));
  t.same(told, [], "nothing before the first is known");
  ordered.finish(0, result("A"));
  t.same(told, ["A", "B", "C"]);
  ordered.finish(3, result("D"));
  t.same(
    ordered.told.map((r) => r.id),
    ["A", "B", "C", "D"],
  );
  t.end();
});
