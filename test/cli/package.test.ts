import { execFile } from "node:child_process";
import { statSync } from "node:fs";
import { cp, readdir, readFile, writeFile } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { promisify } from "node:util";
import t from "tap";
import { capitalizer } from "../../protocols/capitalizer/spec/index.js";
import type { Report } from "../../conformance/report.js";
import { packageRoot } from "../../spec/paths.js";
import { cliPath, runProgram } from "../support/helpers.js";

const run = promisify(execFile);

t.test("npm pack makes a package that works where it is installed", async (t) => {
  const dir = t.testdir({ "package.json": JSON.stringify({ name: "consumer", private: true, type: "module" }) });
  // dist/ is built by the test command already; packing need not build it again.
  await run("npm", ["pack", "--ignore-scripts", "--pack-destination", dir], { cwd: packageRoot });
  const [tarball] = (await readdir(dir)).filter((name) => name.endsWith(".tgz"));
  t.ok(tarball, "npm pack wrote a tarball");
  const { stdout: listing } = await run("tar", ["tzf", path.join(dir, tarball!)]);
  t.notMatch(listing, /package\/dist\/test\//, "the kit's own tests are not shipped");
  t.match(listing, /package\/dist\/protocols\/bank\/broken\/proving\.js/, "the broken servers are, for sockspec prove");
  t.match(listing, /package\/protocols\/capitalizer\/spec\/protocol\.json/, "the specs are shipped");
  t.match(listing, /package\/protocols\/capitalizer\/fixtures\/one-client\.json/, "and the fixtures");
  t.match(listing, /package\/dist\/index\.d\.ts/, "the types are shipped");
  await run("npm", ["install", "--no-audit", "--no-fund", "--prefer-offline", `./${tarball}`], { cwd: dir });

  const bin = path.join(dir, "node_modules", ".bin", "sockspec");
  t.match((await runProgram(bin, ["--help"])).stdout, /Commands:/);
  t.match((await runProgram(bin, ["check", "--help"])).stdout, /--reporter NAME/);
  const { version } = JSON.parse(await readFile(path.join(packageRoot, "package.json"), "utf8")) as { version: string };
  t.equal((await runProgram(bin, ["--version"])).stdout, `${version}\n`);
  const checked = await runProgram(bin, ["check", "capitalizer", "--runs", "3"]);
  t.equal(checked.code, 0, checked.stderr);
  const rules = capitalizer.rules.length;
  t.match(checked.stdout, new RegExp(`${rules} of ${rules} rules checked: ${rules} pass`));

  // A failure's reproduce line, in a project that installed sockspec: npx runs the installed one, and the
  // line runs as printed from any folder.
  await writeFile(path.join(dir, "silent.cjs"), 'require("net").createServer(() => {}).listen(Number(process.env.PORT), process.env.HOST);\n');
  const failing = await runProgram(
    bin,
    ["check", "capitalizer", "--spawn", "node silent.cjs", "--only", "CAP-REPLY-UPPER", "--runs", "1", "--timeout", "500", "--reporter", "json"],
    { cwd: dir },
  );
  t.equal(failing.code, 1, failing.stderr);
  const reproduce = (JSON.parse(failing.stdout) as Report).rules[0]!.detail.reproduce!;
  t.match(reproduce, new RegExp(`^cd ${dir.replace(/[.*+?^${}()|[\]\\]/g, "\\$&")} && npx --no-install sockspec (replay CAP-REPLY-UPPER@|check capitalizer )`));
  const pasted = await runProgram("sh", ["-c", reproduce], { cwd: os.tmpdir() });
  t.equal(pasted.code, 1, `run as printed elsewhere, the case still fails: ${pasted.stderr}`);

  // The library and its types, from a TypeScript consumer.
  await writeFile(
    path.join(dir, "consumer.ts"),
    `import { check, type Report } from "sockspec";\nconst report: Report = await check({ protocol: "bank", only: ["BANK-BALANCE"], runs: 2 });\nconsole.log(report.summary.ok);\n`,
  );
  const tsc = path.join(packageRoot, "node_modules", "typescript", "bin", "tsc");
  const flags = ["--noEmit", "--strict", "--skipLibCheck", "--module", "nodenext", "--moduleResolution", "nodenext", "--target", "es2022", "consumer.ts"];
  await t.resolves(run(process.execPath, [tsc, ...flags], { cwd: dir }), "the shipped types compile a consumer");
  await writeFile(
    path.join(dir, "consumer.mjs"),
    `import { check } from "sockspec";\nconst r = await check({ protocol: "bank", only: ["BANK-BALANCE"], runs: 2 });\nconsole.log(r.summary.ok);\n`,
  );
  t.equal((await run(process.execPath, ["consumer.mjs"], { cwd: dir })).stdout, "true\n");

  // A protocol of your own, out of the package's tree, as the tutorial builds it: its folder imports
  // "sockspec" from the consumer's node_modules.
  await cp(path.join(packageRoot, "examples", "one-shot"), path.join(dir, "one-shot"), { recursive: true });
  const own = await runProgram(bin, ["check", "--protocol", path.join(dir, "one-shot", "udp"), "--runs", "8"]);
  t.equal(own.code, 0, own.stdout + own.stderr);
  t.match(own.stdout, /3 of 3 rules checked: 3 pass/);
});

t.test("the build leaves the CLI executable, so that npx sockspec runs it in place after a rebuild", async (t) => {
  t.ok(statSync(cliPath).mode & 0o100, `${cliPath} is executable`);
  const { stdout } = await run(cliPath, ["--version"]);
  t.match(stdout, /^\d+\.\d+\.\d+\n$/);
});
