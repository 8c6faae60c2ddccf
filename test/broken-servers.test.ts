import t from "tap";
import { check, inProcessTarget, tcpServer } from "../index.js";
import { isUnmet } from "../conformance/report.js";
import { unmetRules } from "./helpers.js";
import { brokenCapitalizerLimits, brokenCapitalizers, createBrokenCapitalizer } from "./broken/capitalizer.js";

for (const broken of brokenCapitalizers) {
  t.test(`catches a server with ${broken.name}`, async (t) => {
    const report = await check({
      protocol: "capitalizer",
      target: inProcessTarget(
        broken.name,
        tcpServer(() => createBrokenCapitalizer(broken.defects)),
      ),
      runs: 10,
      timeouts: { replyMs: 300, settleMs: 50 },
      shrinkTimeMs: 2000,
      limits: brokenCapitalizerLimits,
    });
    const failed = unmetRules(report, "MUST");
    const warned = unmetRules(report, "SHOULD");
    for (const id of broken.fails) t.ok(failed.includes(id), `fails ${id}`);
    for (const id of failed) t.ok(broken.fails.includes(id) || broken.mayFail?.includes(id), `${id} is a failure it was expected to cause`);
    t.same(warned, broken.warns ?? [], "unmet SHOULDs");
    t.notOk(report.summary.ok);
    for (const rule of report.rules.filter(isUnmet)) {
      t.ok(rule.detail.expected && rule.detail.actual, `${rule.id} says what was expected and what was observed`);
      t.ok(rule.detail.transcript?.events.length, `${rule.id} has the transcript`);
    }
  });
}

t.test("a server with no defects passes (the broken servers differ from it only by their defects)", async (t) => {
  const report = await check({
    protocol: "capitalizer",
    target: inProcessTarget(
      "no defects",
      tcpServer(() => createBrokenCapitalizer({})),
    ),
    runs: 10,
    limits: brokenCapitalizerLimits,
  });
  t.same(
    report.rules.filter((r) => r.outcome !== "pass").map((r) => r.id),
    [],
  );
});
