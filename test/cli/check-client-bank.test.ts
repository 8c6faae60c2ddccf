import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import t from "tap";
import { assertValid } from "../../spec/validator.js";
import { cliPath, originalsDir, originalsSkipReason, python, runCli } from "../support/helpers.js";

const reference = `${process.execPath} ${cliPath} client bank --port {port}`;
const folder = mkdtempSync(path.join(os.tmpdir(), "sockspec-bank-client-cli-"));
t.teardown(() => rmSync(folder, { recursive: true, force: true }));
const menu = { balance: ["1"], withdraw: ["2", "{amount}"], deposit: ["3", "{amount}"], credentials: ["{username}", "{pin}"] };

t.test("a bad bank driver: one line and exit status 2", async (t) => {
  let n = 0;
  const driver = (body: object | string) => {
    const file = path.join(folder, `driver-${(n += 1)}.json`);
    writeFileSync(file, typeof body === "string" ? body : JSON.stringify(body));
    return file;
  };
  const { credentials: _, ...withoutCredentials } = menu;
  const cases: Array<[object | string, RegExp]> = [
    [{ protocol: "bank", actions: withoutCredentials }, /lacks the action "credentials"/],
    [{ protocol: "bank", actions: { ...menu, deposit: ["3", "{sum}"] } }, /action "deposit" has the placeholder \{sum\}/],
    [{ protocol: "bank", actions: { ...menu, quit: ["4"] } }, /no check uses the action "quit"/],
    [{ protocol: "capitalizer", actions: menu }, /it is for capitalizer, not bank/],
    [{ protocol: "bank", actions: { ...menu, balance: ["1\n"] } }, /bad client driver/],
    ["{ not json", /bad client driver/],
  ];
  for (const [body, message] of cases) {
    const { code, stderr } = await runCli(["check-client", "bank", "--spawn", reference, "--driver", driver(body)]);
    t.equal(code, 2, JSON.stringify(body));
    t.match(stderr, message);
    t.equal(stderr.trim().split("\n").length, 1, "one line");
  }
  const unknown = await runCli(["check-client", "bank", "--spawn", reference, "--only", "BANKC-NOPE"]);
  t.equal(unknown.code, 2);
  t.match(unknown.stderr, /unknown rule ID for bank: BANKC-NOPE/);
});

t.test("a driver of the user's own drives the reference client", async (t) => {
  const file = path.join(folder, "driver.json");
  writeFileSync(file, JSON.stringify({ protocol: "bank", description: "the same as the default", actions: menu }));
  const { code, stdout } = await runCli([
    "check-client",
    "bank",
    "--spawn",
    reference,
    "--driver",
    file,
    "--only",
    "BANKC-SEND-*,BANKC-CREDENTIALS-*",
    "--runs",
    "10",
  ]);
  t.equal(code, 0, stdout);
  t.match(stdout, /BANKC-CREDENTIALS-EXACT/);
});

t.test("the original client against its baseline: exit 0, and a valid JSON report", { skip: originalsSkipReason() }, async (t) => {
  const out = path.join(folder, "original.json");
  const { code, stderr } = await runCli([
    "check-client",
    "bank",
    "--spawn",
    `${python()} ${path.join(originalsDir, "udpclient.py")}`,
    "--runs",
    "30",
    "--reporter",
    `human,json:${out}`,
    "--baseline",
    "baselines/original-bank-client.json",
  ]);
  t.equal(code, 0, stderr);
  const report = JSON.parse(readFileSync(out, "utf8"));
  assertValid("report.schema.json", report, "the report");
  t.same(
    report.rules.filter((r: { outcome: string }) => r.outcome !== "pass").map((r: { id: string }) => r.id),
    ["BANKC-LOST-REPLY"],
  );
});
