import { once } from "node:events";
import { existsSync } from "node:fs";
import { readFile, writeFile } from "node:fs/promises";
import net from "node:net";
import path from "node:path";
import { setTimeout as delay } from "node:timers/promises";
import t, { type Test } from "tap";
import { check, inProcessTarget, tcpServer } from "../../index.js";
import { createCapitalizerServer } from "../../protocols/capitalizer/reference/server.js";
import { withoutTimings } from "../../transport/transcript.js";
import { createBrokenCapitalizer, brokenCapitalizerLimits } from "../../protocols/capitalizer/broken/servers.js";
import { cliPath, processesGone, runCli, startCli } from "../support/helpers.js";
import type { Report } from "../../conformance/report.js";
import { assertValid } from "../../spec/validator.js";

/** A reference capitalizer in this process, as a running server to point --port at. */
async function runningCapitalizer(t: Test): Promise<number> {
  const server = createCapitalizerServer();
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  t.teardown(() => new Promise((resolve) => server.close(resolve)));
  return (server.address() as net.AddressInfo).port;
}

t.test("a running server checks few rules: the summary leads with how many, the verdict is PARTIAL, --fail-on-skip fails it", async (t) => {
  const port = String(await runningCapitalizer(t));
  const partial = await runCli(["check", "capitalizer", "--port", port, "--only", "CAP-REPLY-*,CAP-QUOTA-LIMIT", "--runs", "3"]);
  t.equal(partial.code, 0, "no MUST failed: the run itself passes");
  t.match(
    partial.stdout,
    /\n2 of 3 rules checked: 2 pass, 0 fail, 0 warn, 0 timeout; 1 not checked:\n  1 not checked: needs servers of its own .*use --spawn, or --reset CMD\nPARTIAL: no MUST failed in the 2 rule\(s\) checked, 1 not checked\n$/,
  );
  t.notMatch(partial.stdout, /\bOK\b/, "never reads as conformance");
  const strict = await runCli([
    "check",
    "capitalizer",
    "--port",
    port,
    "--only",
    "CAP-REPLY-*,CAP-QUOTA-LIMIT",
    "--runs",
    "3",
    "--fail-on-skip",
    "--reporter",
    "json",
  ]);
  t.equal(strict.code, 1);
  const report = JSON.parse(strict.stdout);
  t.equal(report.failOnSkip, true);
  t.same([report.summary.checked, report.summary.skip, report.summary.ok], [2, 1, false]);
});

t.test("the built-in reference checks every rule of every protocol, none skipped", async (t) => {
  for (const protocol of ["capitalizer", "bank", "status"]) {
    const result = await runCli(["check", protocol, "--runs", "3", "--reporter", "json"]);
    t.equal(result.code, 0, result.stderr);
    const { summary } = JSON.parse(result.stdout);
    t.equal(summary.checked, summary.total, `${protocol}: ${summary.checked} of ${summary.total} checked`);
  }
});

t.test("--jobs does not change the verdict or a counterexample: each rule's randomness is its own", async (t) => {
  const target = inProcessTarget(
    "no reply suffix",
    tcpServer(() => createBrokenCapitalizer({ noSuffix: true })),
  );
  // Unshrunk: shrinking stops at a time limit too, which a loaded machine reaches sooner with more jobs.
  const run = (jobs: number) => check({ protocol: "capitalizer", target, runs: 10, jobs, limits: brokenCapitalizerLimits, shrinkTimeMs: 0 });
  const [one, many] = [await run(1), await run(8)];
  const essence = (report: Awaited<ReturnType<typeof run>>) =>
    report.rules.map(({ id, outcome, detail }) => ({
      id,
      outcome,
      counterexample: detail.counterexample,
      case: detail.case,
      events: withoutTimings(detail.transcript?.events ?? []),
    }));
  t.ok(
    one.rules.some((r) => r.outcome === "fail"),
    "the defect shows",
  );
  t.same(essence(many), essence(one));
});

t.test("a wait of a long limit is announced on a line of its own off a terminal", async (t) => {
  const result = await runCli(["check", "capitalizer", "--only", "CAP-IDLE-TIMEOUT", "--limit", "idleTimeoutMs=5000"]);
  t.equal(result.code, 0, result.stderr);
  t.equal(result.stderr, "sockspec: CAP-IDLE-TIMEOUT: waiting out the 5 s idle timeout\n");
});

t.test("--out is written only once the run has begun: bad arguments leave an existing report alone", async (t) => {
  const out = path.join(t.testdir(), "report.json");
  await writeFile(out, "the last good report");
  const result = await runCli(["check", "capitalizer", "--out", out, "--runs", "0"]);
  t.equal(result.code, 2);
  t.equal(await readFile(out, "utf8"), "the last good report");
});

t.test("replaying a timing-dependent case that does not fail again proves nothing, and says so", async (t) => {
  const result = await runCli(["replay", "CAP-QUOTA-RACE@1:0"]);
  t.equal(result.code, 3, result.stderr);
  t.match(
    result.stdout,
    /SKIP\s+CAP-QUOTA-RACE\s+MUST\s+not reproduced in 20 attempt\(s\); CAP-QUOTA-RACE depends on timing, so a replay that passes proves nothing/,
  );
  t.notMatch(result.stdout, /no longer fails/);
});

t.test("SIGINT or SIGTERM to check stops the servers it spawned", async (t) => {
  for (const signal of ["SIGINT", "SIGTERM"] as const) {
    const ports = path.join(t.testdir(), `${signal}.ports`);
    // Each server writes its port first, then serves; CAP-IDLE-TIMEOUT keeps one running for a minute.
    const spawnCommand = `echo {port} >> ${ports}; exec "${process.execPath}" "${cliPath}" serve capitalizer --port {port} --limit idleTimeoutMs=60000`;
    const child = startCli(["check", "capitalizer", "--spawn", spawnCommand, "--only", "CAP-IDLE-TIMEOUT", "--limit", "idleTimeoutMs=60000"]);
    t.teardown(() => child.kill("SIGKILL"));
    while (!existsSync(ports) || (await readFile(ports, "utf8")).trim().split("\n").length < 2) await delay(20); // the preflight server and the rule's
    child.kill(signal);
    await once(child, "exit");
    for (const port of (await readFile(ports, "utf8")).trim().split("\n"))
      t.same(await processesGone(`--port ${port} `), [], `${signal}: nothing started for port ${port} is left running`);
  }
});

t.test("SIGINT to check writes the report of what it checked, the rest as not finished, marked interrupted", async (t) => {
  const out = path.join(t.testdir(), "report.json");
  // CAP-REPLY-UPPER, first in the catalogue, is told at once; CAP-IDLE-TIMEOUT then waits out a minute.
  const child = startCli([
    "check",
    "capitalizer",
    "--only",
    "CAP-REPLY-UPPER,CAP-IDLE-TIMEOUT",
    "--limit",
    "idleTimeoutMs=60000",
    "--reporter",
    "json",
    "--out",
    out,
  ]);
  t.teardown(() => child.kill("SIGKILL"));
  let stdout = "";
  child.stdout!.on("data", (chunk: Buffer) => (stdout += chunk.toString()));
  while (!/PASS\s+CAP-REPLY-UPPER/.test(stdout)) await once(child.stdout!, "data");
  child.kill("SIGINT");
  const [code] = (await once(child, "exit")) as [number | null];
  t.equal(code, 130);
  const report = JSON.parse(await readFile(out, "utf8")) as Report;
  assertValid("report.schema.json", report, "the report");
  t.equal(report.interrupted, true);
  t.same(
    report.rules.map((r) => `${r.id} ${r.outcome}`),
    ["CAP-REPLY-UPPER pass", "CAP-IDLE-TIMEOUT skip"],
  );
  t.equal(report.rules[1]!.detail.message, "not finished: the run was stopped by SIGINT");
  t.equal(report.summary.ok, false);
});
