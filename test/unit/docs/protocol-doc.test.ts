import { existsSync, readFileSync } from "node:fs";
import path from "node:path";
import t from "tap";
import { builtInProtocols } from "../../../protocols/registry.js";
import { protocolDocPath, protocolMarkdown } from "../../../docs/protocol-doc.js";
import { packageRoot } from "../../../spec/paths.js";
import { runProgram } from "../../support/helpers.js";

for (const module of builtInProtocols) {
  const { spec } = module;
  t.test(`${protocolDocPath(spec)} is up to date with the spec (npm run docs)`, async (t) => {
    const committed = readFileSync(path.join(packageRoot, protocolDocPath(spec)), "utf8");
    t.equal(committed, protocolMarkdown(module));
    for (const rule of spec.rules) t.match(committed, `| \`${rule.id}\` | ${rule.level} |`, `${rule.id} is in the rule table`);
  });
}

t.test("typedoc builds the API docs of the library's entry points, with no warning", async (t) => {
  const out = t.testdir();
  const typedoc = path.join(packageRoot, "node_modules", "typedoc", "bin", "typedoc");
  // typedoc.json treats warnings as errors: an entry point that leaks an unexported type fails here.
  const result = await runProgram(process.execPath, [typedoc, "--out", out]);
  t.equal(result.code, 0, result.stdout + result.stderr);
  for (const name of ["check", "createCapitalizerServer", "createBankServer", "createStatusServer", "runLoad", "formatTap", "formatJunit"])
    t.ok(existsSync(path.join(out, "functions", `${name}.html`)), `${name} is documented`);
});
