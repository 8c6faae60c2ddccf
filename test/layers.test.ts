// The layers run one way: transport and spec at the bottom, the kit for protocol authors above them, the
// protocols on the kit, and the composition (registry, CLI, package root, generators) on top. A module that
// imports one of a layer above it, a protocol that imports another protocol, or an import cycle fails here
// by name.
import { existsSync, readdirSync, readFileSync } from "node:fs";
import path from "node:path";
import t from "tap";
import { packageRoot } from "../spec/paths.js";

const LAYERS = ["transport and spec", "kit", "protocol", "composition"] as const;
type Layer = (typeof LAYERS)[number];

/** The layer of a source file, by its path from the package root. */
function layerOf(file: string): Layer {
  const composition = ["index.ts", "protocols/registry.ts", "protocols/api.ts", "spec/generate.ts", "fixtures/record.ts"];
  if (composition.includes(file) || /^(cli|docs)\//.test(file)) return "composition";
  if (/^protocols\/[^/]+\//.test(file)) return "protocol";
  // What a protocol generates from its document is written with the kit's help.
  if (/^(conformance|load|fixtures|kit)\//.test(file) || /^protocols\/[^/]+$/.test(file) || file === "spec/generated-files.ts") return "kit";
  if (/^(transport|spec)\//.test(file)) return "transport and spec";
  throw new Error(`${file} is in no layer: give its folder one`);
}

/** The package's own source files (not tests, benchmarks or examples), relative to its root. */
function sourceFiles(dir = packageRoot): string[] {
  const skipped = new Set(["node_modules", "dist", "test", "bench", "examples", ".git", ".tap"]);
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const full = path.join(dir, entry.name);
    if (entry.isDirectory()) return skipped.has(entry.name) ? [] : sourceFiles(full);
    return entry.name.endsWith(".ts") && !entry.name.endsWith(".d.ts") ? [path.relative(packageRoot, full)] : [];
  });
}

/** The package files a source file imports (static and dynamic imports of relative paths). */
function importsOf(file: string): string[] {
  const text = readFileSync(path.join(packageRoot, file), "utf8");
  return [...text.matchAll(/(?:from|import\(?)\s*"(\.{1,2}\/[^"]+)"/g)].map((match) =>
    path.normalize(path.join(path.dirname(file), match[1]!)).replace(/\.js$/, ".ts"),
  );
}

const protocolOf = (file: string) => /^protocols\/([^/]+)\//.exec(file)?.[1];

t.test("no module imports a module of a layer above its own", (t) => {
  const files = sourceFiles();
  t.ok(files.length > 50, `${files.length} source files`);
  const upward = files.flatMap((file) =>
    importsOf(file)
      .filter((imported) => LAYERS.indexOf(layerOf(imported)) > LAYERS.indexOf(layerOf(file)))
      .map((imported) => `${file} (${layerOf(file)}) imports ${imported} (${layerOf(imported)})`),
  );
  t.same(upward, []);
  t.end();
});

t.test("a protocol imports no other protocol's modules", (t) => {
  const across = sourceFiles().flatMap((file) => {
    const own = protocolOf(file);
    return own === undefined
      ? []
      : importsOf(file)
          .filter((imported) => (protocolOf(imported) ?? own) !== own)
          .map((imported) => `${file} imports ${imported}`);
  });
  t.same(across, []);
  t.end();
});

t.test("a built-in protocol imports the kit only through its entries, as a protocol of your own does", (t) => {
  const entries = new Set(["kit/index.ts", "kit/serve.ts"]);
  const private_ = sourceFiles().flatMap((file) =>
    protocolOf(file) === undefined
      ? []
      : importsOf(file)
          .filter((imported) => protocolOf(imported) === undefined && !entries.has(imported))
          .map((imported) => `${file} imports ${imported}`),
  );
  t.same(private_, []);
  t.end();
});

t.test("what a protocol loads to serve (its module, reference, client, load, commands) takes only the run-time entry", (t) => {
  const atRunTime = (file: string) => /^protocols\/[^/]+\/(index|load|probe)\.ts$|^protocols\/[^/]+\/(reference|spec)\//.test(file);
  const heavy = sourceFiles()
    .filter(atRunTime)
    .flatMap((file) => {
      const text = readFileSync(path.join(packageRoot, file), "utf8");
      // Static value imports only: a type import is erased, and a dynamic one loads when it is used.
      return [...text.matchAll(/^import (?!type )[^;]*? from "([^"]+\/kit\/index\.js)"/gm)].map(() => `${file} imports kit/index.ts`);
    });
  t.same(heavy, []);
  t.end();
});

t.test("no module imports itself through others: every import cycle is named", (t) => {
  const files = new Set(sourceFiles());
  const imports = new Map([...files].map((file) => [file, importsOf(file).filter((imported) => files.has(imported))]));
  const cycles: string[] = [];
  const state = new Map<string, "visiting" | "done">();
  const visit = (file: string, trail: string[]): void => {
    if (state.get(file) === "done") return;
    if (state.get(file) === "visiting") return void cycles.push([...trail.slice(trail.indexOf(file)), file].join(" -> "));
    state.set(file, "visiting");
    for (const imported of imports.get(file)!) visit(imported, [...trail, file]);
    state.set(file, "done");
  };
  for (const file of files) visit(file, []);
  t.same(cycles, []);
  t.end();
});

/** The tests' own TypeScript files (test files and helpers, not a class's code), relative to the package root. */
function testTree(dir = path.join(packageRoot, "test")): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const full = path.join(dir, entry.name);
    if (entry.isDirectory()) return full === path.join(packageRoot, "test", "adversarial", "class") ? [] : testTree(full);
    return entry.name.endsWith(".ts") ? [path.relative(packageRoot, full)] : [];
  });
}

t.test("the tests are laid out like the code", (t) => {
  const files = testTree();
  const unit = files.filter((file) => file.startsWith("test/unit/"));
  t.ok(unit.length > 10, `${unit.length} unit test files`);
  // A unit test is named after the module (or folder of modules) it tests, at that module's path.
  const astray = unit.filter((file) => {
    const source = file.slice("test/unit/".length).replace(/\.test\.ts$/, "");
    return !file.endsWith(".test.ts") || !(existsSync(path.join(packageRoot, `${source}.ts`)) || existsSync(path.join(packageRoot, source)));
  });
  t.same(astray, [], "unit tests that name no module");
  const folders = ["unit", "protocols", "cli", "adversarial", "support"];
  t.same(
    files.filter((file) => !folders.includes(file.split("/")[1]!) && file !== "test/layers.test.ts"),
    [],
    `every test file is in one of test/${folders.join(", test/")}`,
  );
  t.same(
    files.filter((file) => /^test\/protocols\/[^/]+\//.test(file) && !existsSync(path.join(packageRoot, "protocols", file.split("/")[2]!, "index.ts"))),
    [],
    "test/protocols/<name>/ names a built-in protocol",
  );
  t.same(
    files.filter((file) => file.startsWith("test/support/") && file.endsWith(".test.ts")),
    [],
    "test/support/ holds helpers only",
  );
  t.end();
});

t.test("the layers are told apart as the test expects", (t) => {
  t.equal(layerOf("transport/tcp-connection.ts"), "transport and spec");
  t.equal(layerOf("conformance/runner.ts"), "kit");
  t.equal(layerOf("protocols/protocol-module.ts"), "kit");
  t.equal(layerOf("protocols/bank/checks/fuzz.ts"), "protocol");
  t.equal(layerOf("protocols/registry.ts"), "composition");
  t.equal(layerOf("cli/check.ts"), "composition");
  t.throws(() => layerOf("elsewhere/file.ts"), /in no layer/);
  t.end();
});
