import { spawn } from "node:child_process";
import { once } from "node:events";
import net from "node:net";
import t from "tap";
import { assertValid } from "../spec/validator.js";
import { cliPath, runCli } from "./helpers.js";

const badArguments: Array<[string[], RegExp]> = [
  [[], /Usage/],
  [["frobnicate"], /unknown command "frobnicate"/],
  [["check"], /check needs a protocol/],
  [["check", "gopher"], /unknown protocol "gopher"/],
  [["check", "capitalizer", "--port", "99999"], /--port must be an integer from 0 to 65535/],
  [["check", "capitalizer", "--port", "abc"], /--port must be an integer/],
  [["check", "capitalizer", "--runs", "0"], /--runs must be an integer from 1/],
  [["check", "capitalizer", "--reporter", "xml"], /--reporter must be human or json/],
  [["check", "capitalizer", "--port", "1", "--spawn", "x"], /either --port or --spawn/],
  [["check", "capitalizer", "--only", "CAP-NOPE"], /unknown rule ID/],
  [["check", "capitalizer", "--bogus"], /Unknown option '--bogus'/],
  [["serve", "capitalizer", "--limit=-1"], /--limit must be an integer from 0/],
  [["serve", "capitalizer", "--limit", "ten"], /--limit must be an integer/],
  [["serve", "bank", "--limit", "3"], /--limit is for the capitalizer/],
];

for (const [args, message] of badArguments) {
  t.test(`sockspec ${args.join(" ") || "(nothing)"}: one line on stderr, exit 2`, async (t) => {
    const result = await runCli(args);
    t.equal(result.code, 2);
    const stderr = args.length === 0 ? result.stdout : result.stderr;
    t.match(stderr, message);
    if (args.length > 0) t.equal(result.stderr.trimEnd().split("\n").length, 1, "one line");
  });
}

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
  t.match(result.stdout, /2 rules: 2 pass, 0 fail, 0 non-strict, 0 skip\. OK/);
  t.notMatch(result.stdout, /\x1b\[/, "no colour when not a TTY");
});

t.test("serve prints SERVER READY, serves, and stops cleanly on SIGTERM", async (t) => {
  const child = spawn(process.execPath, [cliPath, "serve", "capitalizer", "--port", "0", "--limit", "1"]);
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

t.test("serve on a port in use: one line, exit 1", async (t) => {
  const holder = net.createServer();
  await new Promise<void>((resolve) => holder.listen(0, "127.0.0.1", resolve));
  t.teardown(() => holder.close());
  const result = await runCli(["serve", "capitalizer", "--port", String((holder.address() as net.AddressInfo).port)]);
  t.equal(result.code, 1);
  t.match(result.stderr, /^sockspec serve: cannot serve on 127\.0\.0\.1:\d+ \(EADDRINUSE\)\n$/);
});

t.test("--help and --version", async (t) => {
  t.match((await runCli(["--help"])).stdout, /Commands:/);
  t.match((await runCli(["check", "--help"])).stdout, /--spawn CMD/);
  t.match((await runCli(["--version"])).stdout, /^\d+\.\d+\.\d+\n$/);
});
