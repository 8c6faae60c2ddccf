// A protocol is a folder: nothing of the kit outside it (and the registry of the built-in ones) imports from
// it or names it, so that adding a protocol touches no other file. The kit's own tests and benchmarks,
// which check and measure the built-in protocols by name, are not the kit.
import { readdirSync, readFileSync } from "node:fs";
import path from "node:path";
import t from "tap";
import { builtInProtocols } from "../../protocols/registry.js";
import { packageRoot } from "../../spec/paths.js";
import { readJson } from "../../spec/read-json.js";

const notTheKit = ["test", "bench", "node_modules", "dist", "docs", ".git", ".tap"];
/** The registry lists the built-in protocols, and the package's index re-exports their API through it. */
const registry = ["protocols/registry.ts", "protocols/api.ts"];

/** Every TypeScript and JavaScript module of the kit, by path from the package root. */
function kitModules(dir = packageRoot): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const file = path.join(dir, entry.name);
    if (entry.isDirectory()) return dir === packageRoot && notTheKit.includes(entry.name) ? [] : kitModules(file);
    return /\.(ts|js)$/.test(entry.name) && !entry.name.endsWith(".d.ts") ? [path.relative(packageRoot, file).split(path.sep).join("/")] : [];
  });
}

/** Code without its comments, so that an example in a comment does not count. */
const withoutComments = (code: string) => code.replace(/\/\*[\s\S]*?\*\//g, "").replace(/(^|[^:"'`])\/\/.*$/gm, "$1");

/** The protocols there are: the built-in ones and the examples', each with its folder. */
function protocols(): Array<{ name: string; folder: string }> {
  const builtIn = builtInProtocols.map((m) => ({ name: m.spec.protocol, folder: path.relative(packageRoot, m.dir).split(path.sep).join("/") }));
  const examples = kitModules(path.join(packageRoot, "examples"))
    .filter((file) => file.endsWith("/index.js"))
    .map((file) => path.dirname(file))
    .flatMap((folder) => {
      try {
        return [{ name: (readJson(path.join(packageRoot, folder, "spec", "protocol.json")) as { protocol: string }).protocol, folder }];
      } catch {
        return [];
      }
    });
  return [...builtIn, ...examples];
}

const modules = kitModules();
const found = protocols();

t.test("the protocols are found: the built-in ones and the examples'", async (t) => {
  t.ok(found.length > builtInProtocols.length, found.map((p) => p.name).join(", "));
  t.ok(modules.includes("cli/check.ts") && modules.includes("protocols/bank/index.ts"), "the kit's modules are read");
});

for (const { name, folder } of found) {
  t.test(`no module outside ${folder}/ imports from it or names ${name}`, async (t) => {
    const others = modules.filter((file) => !file.startsWith(`${folder}/`) && !(registry.includes(file) && folder.startsWith("protocols/")));
    const importsIt = (file: string) =>
      [...readFileSync(path.join(packageRoot, file), "utf8").matchAll(/(?:from\s*|import\s*\(?\s*)["'](\.[^"']*)["']/g)].some(([, spec]) =>
        path.posix.normalize(path.posix.join(path.posix.dirname(file), spec!)).startsWith(`${folder}/`),
      );
    const namesIt = (file: string) => new RegExp(`["'\`]${name}["'\`]`).test(withoutComments(readFileSync(path.join(packageRoot, file), "utf8")));
    t.same(others.filter(importsIt), [], "no module imports from its folder");
    t.same(others.filter(namesIt), [], `no module has "${name}" in its code`);
  });
}
