// The examples' reference servers, and servers in another language, pass every rule of their protocols
// (docs/tutorial.md); the examples' JavaScript type-checks against the kit's types.
import { readdirSync, readFileSync, writeFileSync } from "node:fs";
import { cp } from "node:fs/promises";
import path from "node:path";
import t from "tap";
import type { Report } from "../../conformance/report.js";
import { packageRoot } from "../../spec/paths.js";
import { checked, examples, notPassing, protocolFolders } from "./examples.js";
import { cliPath, python, runCli, runProgram } from "../support/helpers.js";

const folders = protocolFolders(examples);

t.test("the examples' JavaScript type-checks against the kit's types", async (t) => {
  t.ok(folders.length > 0, "there are examples");
  const tsc = path.join(packageRoot, "node_modules", "typescript", "bin", "tsc");
  const result = await runProgram(process.execPath, [tsc, "-p", examples]);
  t.equal(result.code, 0, result.stdout + result.stderr);
});

for (const folder of folders) {
  const name = path.relative(packageRoot, folder);

  t.test(`${name}: its reference passes every rule, in process and under sockspec serve --protocol`, async (t) => {
    const inProcess = await checked(t, folder, []);
    t.ok(inProcess.rules.length > 0, "it has rules");
    t.same(notPassing(inProcess), [], "in process");
    const served = await checked(t, folder, [
      "--runs",
      "12",
      "--spawn",
      `"${process.execPath}" "${cliPath}" serve --protocol "${folder}" --host {host} --port {port}`,
    ]);
    t.same(notPassing(served), [], "under sockspec serve");
  });

  t.test(`${name}: sockspec docs writes its document, every rule in it`, async (t) => {
    const result = await runCli(["docs", "--protocol", folder]);
    t.equal(result.code, 0, result.stderr);
    const { rules } = JSON.parse(readFileSync(path.join(folder, "spec", "protocol.json"), "utf8")) as { rules: Array<{ id: string; level: string }> };
    for (const rule of rules) t.match(result.stdout, `| \`${rule.id}\` | ${rule.level} |`, `${rule.id} is in the rule table`);
  });

  // Servers in another language (the textbook's Python ones, *Server.py; its clients are checked as clients) must pass as well.
  for (const script of readdirSync(folder).filter((file) => file.endsWith("Server.py"))) {
    t.test(`${name}: ${script} passes every rule`, async (t) => {
      const report = await checked(t, folder, ["--runs", "12", "--spawn", `${python()} "${path.join(folder, script)}"`]);
      t.same(notPassing(report), []);
    });
  }
}

t.test("check-client --protocol DIR checks a client of a protocol of your own against its client rules", async (t) => {
  const folder = path.join(examples, "one-shot", "tcp");
  const result = await runCli([
    "check-client",
    "--protocol",
    folder,
    "--spawn",
    `"${process.execPath}" ${path.join(folder, "client.js")}`,
    "--reporter",
    "json",
  ]);
  t.equal(result.code, 0, result.stderr);
  t.same(
    (JSON.parse(result.stdout) as Report).rules.map((r) => `${r.id} ${r.outcome}`),
    ["ONETCPC-SEND-EXACT pass", "ONETCPC-SHOW-REPLY pass"],
  );
});

t.test("a protocol of your own whose checks do not cover its rules is a usage error, named in one line", async (t) => {
  const dir = t.testdir();
  await cp(path.join(examples, "one-shot"), path.join(dir, "one-shot"), { recursive: true });
  const specFile = path.join(dir, "one-shot", "tcp", "spec", "protocol.json");
  const spec = JSON.parse(readFileSync(specFile, "utf8")) as { rules: Array<{ id: string }> };
  spec.rules.push({ ...spec.rules[0]!, id: "ONETCP-UNCHECKED" });
  writeFileSync(specFile, JSON.stringify(spec));
  const result = await runCli(["check", "--protocol", path.join(dir, "one-shot", "tcp")]);
  t.equal(result.code, 2);
  t.match(result.stderr, /^sockspec: --protocol: one-shot-tcp: rule ONETCP-UNCHECKED has no check\n$/);
});

t.test("a protocol folder whose rules still name what the original does `seed` is told, in one line, to rename it", async (t) => {
  const dir = t.testdir();
  await cp(path.join(examples, "one-shot"), path.join(dir, "one-shot"), { recursive: true });
  const specFile = path.join(dir, "one-shot", "tcp", "spec", "protocol.json");
  writeFileSync(specFile, readFileSync(specFile, "utf8").replaceAll('"original":', '"seed":'));
  const result = await runCli(["check", "--protocol", path.join(dir, "one-shot", "tcp")]);
  t.equal(result.code, 2);
  t.match(result.stderr, /^sockspec: --protocol: .*protocol\.json: rules \(ONETCP-[A-Z-]+ and 2 more\) have the field "seed": rename it to "original" .*\n$/);
});

t.test("a protocol folder that never finishes loading is a usage error naming it, after a deadline", async (t) => {
  const hanging = async (name: string, edit: (index: string) => string) => {
    const dir = path.join(t.testdir(), name);
    await cp(path.join(examples, "one-shot"), dir, { recursive: true });
    const index = path.join(dir, "tcp", "index.js");
    const edited = edit(readFileSync(index, "utf8"));
    t.not(edited, readFileSync(index, "utf8"), `${name}: the folder is edited`);
    writeFileSync(index, edited);
    return runCli(["check", "--protocol", path.join(dir, "tcp"), "--runs", "1"]);
  };
  // Side by side: each takes the whole deadline.
  const cases = [
    ["never-settling-checks", (s: string) => s.replace(/checks: async \(\) => .*,\n/, "checks: () => new Promise(() => {}),\n")],
    ["endless-loop-at-import", (s: string) => `while (true) {}\n${s}`],
    ["endless-spec-getter", (s: string) => s.replace("  spec,\n", "  get spec() { for (;;) {} },\n")],
  ] as const;
  const results = await Promise.all(cases.map(([name, edit]) => hanging(name, edit)));
  for (const [i, result] of results.entries()) {
    const name = cases[i]![0];
    t.equal(result.code, 2, `${name}: ${result.stderr}`);
    t.match(
      result.stderr,
      /^sockspec: --protocol: .*tcp did not load(: its import, spec or checks\(\) waits for something that never comes| within 10 s \(its import, spec or checks\(\) never finished\))\n$/,
      name,
    );
  }
});

t.test("a protocol folder that leaves a timer running at import still ends with its verdict", async (t) => {
  const dir = path.join(t.testdir(), "timer");
  await cp(path.join(examples, "one-shot"), dir, { recursive: true });
  const index = path.join(dir, "tcp", "index.js");
  writeFileSync(index, `setInterval(() => {}, 1000);\n${readFileSync(index, "utf8")}`);
  const result = await runCli(["check", "--protocol", path.join(dir, "tcp"), "--runs", "1"]);
  t.equal(result.code, 0, result.stderr);
  t.match(result.stdout, /^OK/m);
});

t.test("a protocol folder whose code throws anything, or whose server will not start, is one line and exit 2", async (t) => {
  const broken = async (name: string, edit: (index: string) => string, manifest?: string) => {
    const dir = path.join(t.testdir(), name);
    await cp(path.join(examples, "one-shot"), dir, { recursive: true });
    const index = path.join(dir, "tcp", "index.js");
    writeFileSync(index, edit(readFileSync(index, "utf8")));
    if (manifest !== undefined) writeFileSync(path.join(dir, "tcp", "package.json"), manifest);
    return runCli(["check", "--protocol", path.join(dir, "tcp"), "--runs", "1"]);
  };
  for (const [name, edit, manifest, message] of [
    ["bad-manifest", (s: string) => s, "{ not json", /is not valid JSON/],
    ["throws-null", (s: string) => `throw null;\n${s}`, undefined, /cannot load .*index\.js: null$/],
    [
      "throwing-checks",
      (s: string) => s.replace(/checks: async \(\) => .*,\n/, 'checks: () => { throw new Error("no checks today"); },\n'),
      undefined,
      /checks\(\) failed: no checks today$/,
    ],
    ["throwing-spec", (s: string) => s.replace("  spec,\n", '  get spec() { throw new Error("no spec"); },\n'), undefined, /protocol module: no spec$/],
    [
      "throwing-start",
      (s: string) => s.replace("async start({ host, port }) {", 'async start() { throw "cannot start";'),
      undefined,
      /server\.start\(\) failed: cannot start$/,
    ],
  ] as const) {
    const result = await broken(name, edit, manifest);
    t.equal(result.code, 2, `${name}: ${result.stderr}`);
    t.equal(result.stderr.split("\n").length, 2, `${name}: one line`);
    t.match(result.stderr.trim(), message, name);
  }
});
