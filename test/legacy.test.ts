import path from "node:path";
import t from "tap";
import { check, spawnTarget } from "../index.js";
import { assertValid } from "../spec/validator.js";
import { expectBaseline, legacyDir, legacySkipReason, python, runCli } from "./helpers.js";

const skip = legacySkipReason();

t.test("the original Python capitalizer gets its true verdict, rule by rule", { skip }, async (t) => {
  const command = `${python()} ${path.join(legacyDir, "tcpserver.py")}`;
  // 100 runs: the race shows in about one run in ten.
  const report = await check({
    protocol: "capitalizer",
    target: spawnTarget(command, { host: "127.0.0.1" }),
    runs: 100,
    timeouts: { replyMs: 1000 },
    shrinkTimeMs: 3000,
    // The original never closes an idle connection: a short wait shows it as well as the spec's minute.
    limits: { idleTimeoutMs: 300 },
  });
  assertValid("report.schema.json", report, "the report");
  expectBaseline(t, report, "original-capitalizer");
  t.notOk(report.summary.ok);
  const accept = report.rules.find((r) => r.id === "CAP-ACCEPT-AFTER-END")!;
  t.match(accept.detail.actual, /refused/, "the failure shows the refused connection");
  t.ok(accept.detail.transcript!.events.some((e) => e.type === "refused"));
});

t.test("the CLI gives the original exit code 1 and a readable failure", { skip }, async (t) => {
  const result = await runCli([
    "check",
    "capitalizer",
    "--spawn",
    `${python()} ../shared/legacy/tcpserver.py`,
    "--only",
    "CAP-DISCONNECT-NO-COUNT,CAP-REPLY-UPPER",
    "--runs",
    "20",
  ]);
  t.equal(result.code, 1, result.stderr);
  t.match(result.stdout, /PASS\s+CAP-REPLY-UPPER/);
  t.match(result.stdout, /FAIL\s+CAP-DISCONNECT-NO-COUNT/);
  t.match(result.stdout, /expected: .*\n\s+observed: /);
  t.match(result.stdout, /reproduce: +sockspec replay CAP-DISCONNECT-NO-COUNT@\d+:\d+(:\d+)* --spawn .* --runs 20\n/);
});
