import t from "tap";
import { check } from "../../index.js";

// CI's --verify 3 of each built-in reference: no rule may come out differently on another seed. The three
// run side by side, each mostly waiting on its servers.
t.jobs = 3;

for (const protocol of ["capitalizer", "bank", "status"]) {
  t.test(`the ${protocol} reference is stable on three seeds: no rule unstable`, async (t) => {
    const report = await check({ protocol, verify: 3 });
    t.same(
      report.rules.filter((r) => r.detail.verify?.unstable).map((r) => `${r.id}: ${r.detail.message}`),
      [],
    );
    t.equal(report.summary.unstable, 0);
    t.ok(
      report.summary.ok,
      report.rules
        .filter((r) => r.outcome !== "pass")
        .map((r) => `${r.id} ${r.outcome}: ${r.detail.message}`)
        .join("; "),
    );
  });
}
