import t from "tap";
import { survives } from "./hostile.js";

for (const kind of ["tcp-reset", "tcp-close", "udp-flood"] as const)
  t.test(`the runner survives ${kind}: a report, bounded time and memory`, (t) => survives(t, kind));

t.test("an answer nobody asked for is named as such", async (t) => {
  const report = await survives(t, "udp-twice");
  const balance = report.rules.find((r) => r.id === "BANK-BALANCE")!;
  t.equal(balance.detail.expected, "one answer to each request on s1");
  t.match(balance.detail.actual, /^1 more datagram\(s\) after the answer to its previous request$/);
});
