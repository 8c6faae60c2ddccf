import { once } from "node:events";
import dgram from "node:dgram";
import net from "node:net";
import path from "node:path";
import t from "tap";
import { balanceReply, bank } from "../../protocols/bank/spec/index.js";
import { assertValid } from "../../spec/validator.js";
import { cliPath, runCli, startCli } from "../support/helpers.js";

t.test("an unreachable target: exit 2 with one line", async (t) => {
  const probe = net.createServer();
  await new Promise<void>((resolve) => probe.listen(0, "127.0.0.1", resolve));
  const { port } = probe.address() as net.AddressInfo;
  await new Promise((resolve) => probe.close(resolve)); // a port nobody listens on
  const result = await runCli(["check", "capitalizer", "--port", String(port)]);
  t.equal(result.code, 2);
  t.match(result.stderr, /^sockspec: cannot connect to 127\.0\.0\.1:\d+ \(ECONNREFUSED\)\n$/);
});

t.test("a spawn command that cannot start: exit 2 with one line", async (t) => {
  const result = await runCli(["check", "capitalizer", "--spawn", "exit 3"]);
  t.equal(result.code, 2);
  t.match(result.stderr, /^sockspec: server command exited with code 3 before listening/);
});

t.test("check --reporter json against the reference: a valid report, exit 0", async (t) => {
  const result = await runCli(["check", "capitalizer", "--reporter", "json", "--runs", "10"]);
  t.equal(result.code, 0, result.stderr);
  const report = JSON.parse(result.stdout);
  t.doesNotThrow(() => assertValid("report.schema.json", report, "the report"));
  t.equal(report.summary.pass, report.summary.total);
});

t.test("check --spawn runs the reference CLI server on free ports; the human report is readable", async (t) => {
  const only = "CAP-QUOTA-LIMIT,CAP-REPLY-UPPER";
  const result = await runCli(["check", "capitalizer", "--spawn", `node ${cliPath} serve capitalizer --port {port}`, "--runs", "5", "--only", only]);
  t.equal(result.code, 0, result.stderr);
  t.match(result.stdout, /^sockspec check capitalizer: spawn: node .* \(seed \d+, 5 runs\)\n/);
  t.match(result.stdout, /PASS\s+CAP-REPLY-UPPER\s+MUST\s+5 property run\(s\) and 1 fixture replay\(s\)/);
  t.match(result.stdout, /PASS\s+CAP-QUOTA-LIMIT\s+MUST/);
  t.match(result.stdout, /2 of 2 rules checked: 2 pass, 0 fail, 0 warn, 0 timeout\.\nOK: every rule checked, no MUST failed\n/);
  t.notMatch(result.stdout, /\x1b\[/, "no colour when not a TTY");
});

t.test("serve prints SERVER READY, serves, and stops cleanly on SIGTERM", async (t) => {
  const child = startCli(["serve", "capitalizer", "--port", "0", "--limit", "quota=1"]);
  const [line] = (await once(child.stdout, "data")) as [Buffer];
  const match = /^SERVER READY @ 127\.0\.0\.1:(\d+)\n$/.exec(line.toString());
  t.ok(match, line.toString());
  const socket = net.connect(Number(match![1]), "127.0.0.1");
  socket.write("hi");
  const [reply] = (await once(socket, "data")) as [Buffer];
  t.equal(reply.toString(), "HI\nAwaiting next string...");
  socket.destroy();
  child.kill("SIGTERM");
  const [code] = await once(child, "exit");
  t.equal(code, 0);
});

t.test("check --spawn bank with a configured challenge timeout: the reference CLI bank passes, the limit is reported", async (t) => {
  const spawnCommand = `node ${cliPath} serve bank --port {port} --data user.txt --limit challengeTimeoutMs=600`;
  const only = "BANK-DEPOSIT,BANK-CHALLENGE-TIMEOUT,BANK-PERSIST-RESTART";
  const args = ["check", "bank", "--spawn", spawnCommand, "--limit", "challengeTimeoutMs=600", "--runs", "3", "--only", only, "--reporter", "json"];
  const result = await runCli(args);
  t.equal(result.code, 0, result.stderr);
  const report = JSON.parse(result.stdout);
  t.same(report.limits, { challengeTimeoutMs: 600 });
  t.same(
    report.rules.map((r: { id: string; outcome: string }) => `${r.id} ${r.outcome}`),
    ["BANK-DEPOSIT pass", "BANK-CHALLENGE-TIMEOUT pass", "BANK-PERSIST-RESTART pass"],
  );
});

for (const [how, serveLimits] of [
  ["its own --limit options", " --limit idleTimeoutMs=200 --limit maxConnections=8"],
  ["the environment the runner gives it", ""],
] as const) {
  t.test(`serve capitalizer takes the limits the runner is told of from ${how}, and they hold`, async (t) => {
    const spawnCommand = `node ${cliPath} serve capitalizer --port {port}${serveLimits}`;
    const limits = ["--limit", "idleTimeoutMs=200", "--limit", "maxConnections=8"];
    const args = ["check", "capitalizer", "--spawn", spawnCommand, ...limits, "--only", "CAP-IDLE-TIMEOUT,CAP-CONNECTION-LIMIT", "--reporter", "json"];
    const result = await runCli(args);
    t.equal(result.code, 0, result.stderr);
    const report = JSON.parse(result.stdout);
    t.same(report.limits, { idleTimeoutMs: 200, maxConnections: 8 });
    t.same(
      report.rules.map((r: { id: string; outcome: string }) => `${r.id} ${r.outcome}`),
      ["CAP-IDLE-TIMEOUT pass", "CAP-CONNECTION-LIMIT pass"],
    );
  });
}

t.test("serve bank listens on IPv6 loopback too", async (t) => {
  const child = startCli(["serve", "bank", "--host", "::1", "--port", "0", "--data", path.join(t.testdir(), "user.txt")]);
  t.teardown(() => child.kill("SIGTERM"));
  const [line] = (await once(child.stdout, "data")) as [Buffer];
  const match = /^SERVER READY @ \[::1\]:(\d+)\n$/.exec(line.toString());
  t.ok(match, line.toString());
  const socket = dgram.createSocket("udp6");
  t.teardown(() => socket.close());
  socket.send("b", Number(match![1]), "::1");
  const [reply] = (await once(socket, "message")) as [Buffer];
  t.equal(reply.toString(), balanceReply(0n));
});

t.test("a run in which every selected rule is skipped exits 2: no silent success", async (t) => {
  const result = await runCli(["check", "bank", "--port", "1", "--only", "BANK-DEPOSIT,BANK-WITHDRAW"]);
  t.equal(result.code, 2);
  t.match(
    result.stdout,
    /0 of 2 rules checked: 0 pass, 0 fail, 0 warn, 0 timeout; 2 not checked:\n  2 not checked: needs servers of its own .*\nNOTHING CHECKED: every selected rule was skipped\n/,
  );
  t.match(result.stderr, /^sockspec: no rule ran: all 2 selected were skipped \(not checked: needs servers of its own/);
});

t.test("--only and --exclude take IDs and globs", async (t) => {
  const result = await runCli(["check", "capitalizer", "--list", "--only", "CAP-QUOTA-*,CAP-REPLY-UPPER", "--exclude", "CAP-QUOTA-RACE"]);
  t.same(
    result.stdout
      .trim()
      .split("\n")
      .slice(0, -1)
      .map((line) => line.split(" ")[0]),
    ["CAP-REPLY-UPPER", "CAP-QUOTA-LIMIT", "CAP-QUOTA-CLOSE", "CAP-QUOTA-SHARED"],
  );
});

t.test("serve on a port in use: one line, exit 2", async (t) => {
  const holder = net.createServer();
  await new Promise<void>((resolve) => holder.listen(0, "127.0.0.1", resolve));
  t.teardown(() => holder.close());
  const result = await runCli(["serve", "capitalizer", "--port", String((holder.address() as net.AddressInfo).port)]);
  t.equal(result.code, 2);
  t.match(result.stderr, /^sockspec: cannot serve on 127\.0\.0\.1:\d+ \(EADDRINUSE\)\n$/);
});

t.test("help <command>, and the version as -V", async (t) => {
  t.equal((await runCli(["help", "serve"])).stdout, (await runCli(["serve", "--help"])).stdout);
  t.match((await runCli(["help"])).stdout, /--version \(-V\)/);
  t.match((await runCli(["-V"])).stdout, /^\d+\.\d+\.\d+\n$/);
});

t.test("--help and --version", async (t) => {
  t.match((await runCli(["--help"])).stdout, /Commands:/);
  t.match((await runCli(["check", "--help"])).stdout, /--spawn CMD/);
  t.match((await runCli(["bench", "--help"])).stdout, /--rate R/);
  t.match((await runCli(["probe", "--help"])).stdout, /--codes LIST/);
  t.match((await runCli(["--version"])).stdout, /^\d+\.\d+\.\d+\n$/);
});

t.test("--max-time: a run that reaches its time limit is reported as interrupted and exits 2", async (t) => {
  const result = await runCli(["check", "bank", "--max-time", "1", "--reporter", "json"]);
  t.equal(result.code, 2);
  t.match(result.stderr, /^sockspec: interrupted: the run reached --max-time 1 s, with \d+ rule\(s\) skipped or not run\n$/);
  const report = JSON.parse(result.stdout);
  t.equal(report.interrupted, true);
  t.ok(
    report.rules.some((r: { detail: { message: string } }) => /not run: the run's time limit|not finished: the run's time limit/.test(r.detail.message)),
    "the rules it did not finish say why",
  );
  t.equal(report.rules.length, bank.rules.length, "every selected rule is in the report");
});

t.test("--max-time cuts a rule that is waiting on a silent server: it is not finished, neither passed nor failed", async (t) => {
  const silent = net.createServer(() => {});
  const held: net.Socket[] = [];
  silent.on("connection", (socket) => held.push(socket));
  await new Promise<void>((resolve) => silent.listen(0, "127.0.0.1", resolve));
  t.teardown(() => {
    for (const socket of held) socket.destroy();
    silent.close();
  });
  const { port } = silent.address() as net.AddressInfo;
  // Each reply is waited for up to ten minutes: only the cut ends the rule's run.
  const args = ["check", "capitalizer", "--port", String(port), "--only", "CAP-REPLY-UPPER", "--timeout", "600000", "--max-time", "1"];
  const result = await runCli([...args, "--reporter", "json"]);
  t.equal(result.code, 2, result.stderr);
  const report = JSON.parse(result.stdout);
  t.equal(report.interrupted, true);
  t.same(
    report.rules.map((r: { outcome: string }) => r.outcome),
    ["skip"],
  );
  t.match(report.rules[0].detail.message, /^not finished: the run's time limit \(--max-time\) stopped it after 0 of \d+ property run\(s\)$/);
});

t.test("where the results go is checked before any rule runs, and a report that cannot be written there is not lost", async (t) => {
  const missing = await runCli(["check", "capitalizer", "--out", "/nonexistent/dir/r.json"]);
  t.equal(missing.code, 2);
  t.equal(missing.stdout, "", "no rule ran");
  t.match(missing.stderr, /^sockspec: --out: no folder \/nonexistent\/dir to write \/nonexistent\/dir\/r\.json in\n$/);
  const config = await runCli(["check", "capitalizer", "--config", "/dev/zero"]);
  t.equal(config.code, 2);
  t.match(config.stderr, /^sockspec: bad config file: \/dev\/zero is not a regular file\n$/);
  // A device that takes no byte: the report goes to standard output, and the run is no success.
  const full = await runCli(["check", "capitalizer", "--only", "CAP-REPLY-UPPER", "--runs", "2", "--reporter", "json", "--out", "/dev/full"]);
  t.equal(full.code, 2);
  t.match(full.stderr, /could not write to \/dev\/full \(ENOSPC\): the json report goes to standard output instead/);
  t.match(full.stdout, /"summary": \{/);
});
