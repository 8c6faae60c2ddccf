import { readFileSync } from "node:fs";
import { writeFile } from "node:fs/promises";
import path from "node:path";
import t from "tap";
import type { Report } from "../../../index.js";
import { REFERENCE_BANK_LIMITS } from "../../../protocols/bank/index.js";
import { checkHelp } from "../../../cli/check.js";
import { checkOptionEntries, configSchema } from "../../../cli/check-options.js";
import { jsonFile } from "../../../spec/generated-files.js";
import { specDir } from "../../../spec/paths.js";
import { runCli } from "../../support/helpers.js";

t.test("sockspec check --config FILE: the file's options, with the command line's on top", async (t) => {
  const dir = t.testdir();
  const file = path.join(dir, "sockspec.config.json");
  const config = {
    protocol: "bank",
    only: ["BANK-BALANCE", "BANK-CHALLENGE-*"],
    exclude: ["BANK-CHALLENGE-TIMEOUT"],
    runs: 2,
    reporter: "json",
    limits: { challengeTimeoutMs: 500 },
  };
  await writeFile(file, JSON.stringify(config));
  const fromFile = await runCli(["check", "--config", file]);
  t.equal(fromFile.code, 0, fromFile.stderr);
  const report = JSON.parse(fromFile.stdout) as Report;
  t.same(
    report.rules.map((r) => r.id),
    ["BANK-BALANCE", "BANK-CHALLENGE-REQUESTER", "BANK-CHALLENGE-SAME-ADDRESS"],
  );
  t.equal(report.runs, 2);
  t.same(report.limits, { ...REFERENCE_BANK_LIMITS, challengeTimeoutMs: 500 }, "the reference's own limits, the file's on top");
  const overridden = JSON.parse((await runCli(["check", "--config", file, "--runs", "3", "--only", "BANK-BALANCE"])).stdout) as Report;
  t.equal(overridden.runs, 3, "--runs on the command line wins");
  t.same(
    overridden.rules.map((r) => r.id),
    ["BANK-BALANCE"],
  );
});

t.test("a config that does not match its schema, or names no file, is a usage error", async (t) => {
  const dir = t.testdir();
  const bad = path.join(dir, "bad.json");
  await writeFile(bad, JSON.stringify({ protocol: "bank", port: 65434, spawn: "python3 udpserver.py" }));
  const both = await runCli(["check", "--config", bad]);
  t.equal(both.code, 2);
  t.match(both.stderr, /^sockspec: bad config file: .*bad\.json does not match config\.schema\.json/);
  await writeFile(bad, JSON.stringify({ protocol: "bank", rnus: 3 }));
  t.match(
    (await runCli(["check", "--config", bad])).stderr,
    /bad\.json does not match config\.schema\.json: unknown key "rnus" at the top level/,
    "the key and the file named",
  );
  await writeFile(bad, '{ "runs": 3');
  t.match((await runCli(["check", "--config", bad])).stderr, /^sockspec: bad config file: .*bad\.json is not valid JSON: /, "the file named");
  t.match((await runCli(["check", "--config", path.join(dir, "missing.json")])).stderr, /no config file at/);
});

t.test("spec/schemas/config.schema.json is the one generated from check's option table (npm run spec)", async (t) => {
  t.equal(readFileSync(path.join(specDir, "schemas", "config.schema.json"), "utf8"), jsonFile(configSchema()));
  for (const [flag, option] of checkOptionEntries)
    if (option.config) t.match(checkHelp, `--${flag}`, `--${flag} (${option.config.key} in the file) is in --help`);
});
