// The order rules start in (conformance/runner.ts startOrder): what waits out a limit first, then what starts
// the most servers, else the catalogue's order. Without sockets.
import t from "tap";
import type { RuleCheck } from "../../../conformance/check.js";
import { startOrder } from "../../../conformance/runner.js";
import type { Rule, ServerNeed } from "../../../spec/protocol.js";

const rule = (id: string, needs: ServerNeed): Rule => ({ id, level: "MUST", statement: "", original: "", needs });
const check = (id: string, runs: (budget: number) => number, waitsMs?: (limits: Readonly<Record<string, number>>) => number): RuleCheck => ({
  id,
  runs,
  ...(waitsMs ? { waitsMs } : {}),
  property: () => {
    throw new Error("not run");
  },
});

t.test("rules that wait out a limit start first, the longest wait first; then those that start the most servers", async (t) => {
  const rules = [
    rule("A-ANY", "any-server"),
    rule("A-FRESH", "fresh-server"),
    rule("A-WAIT", "fresh-server"),
    rule("A-KILL", "killable-server"),
    rule("A-LONG", "any-server"),
  ];
  const checks = [
    check("A-ANY", (n) => n),
    check("A-FRESH", (n) => n),
    check(
      "A-WAIT",
      () => 3,
      (limits) => limits.idleMs!,
    ),
    check("A-KILL", () => 3),
    check(
      "A-LONG",
      () => 1,
      (limits) => 2 * limits.idleMs!,
    ),
  ];
  const order = startOrder(rules, checks, { idleMs: 1000 }, 100);
  t.same(
    order.map((i) => rules[i]!.id),
    ["A-LONG", "A-WAIT", "A-FRESH", "A-KILL", "A-ANY"],
    "waits by length; then fresh servers x runs (100) before killed ones x runs (3 x 3); a shared server last",
  );
  t.same(startOrder(rules.slice(0, 2).reverse(), checks.slice(0, 2).reverse(), {}, 0), [0, 1], "ties keep the catalogue's order");
});
