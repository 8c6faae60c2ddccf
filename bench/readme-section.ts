import { readdirSync, readFileSync, writeFileSync } from "node:fs";
import path from "node:path";
import { packageRoot } from "../spec/paths.js";

/**
 * Replaces the part of the documentation (README.md or a guide in docs/) between `<!-- bench:NAME -->` and
 * `<!-- /bench:NAME -->` with a benchmark's latest results, so that the figures the docs show are a run's,
 * not typed by hand.
 */
export function writeReadmeSection(name: string, markdown: string): void {
  const [open, close] = [`<!-- bench:${name} -->`, `<!-- /bench:${name} -->`];
  const docs = path.join(packageRoot, "docs");
  const files = [
    path.join(packageRoot, "README.md"),
    ...readdirSync(docs)
      .filter((f) => f.endsWith(".md"))
      .map((f) => path.join(docs, f)),
  ];
  const file = files.find((candidate) => readFileSync(candidate, "utf8").includes(open));
  if (file === undefined) throw new Error(`no ${open} ... ${close} section in README.md or docs/`);
  const text = readFileSync(file, "utf8");
  const start = text.indexOf(open);
  const end = text.indexOf(close);
  if (end < start) throw new Error(`${file} has ${open} without ${close} after it`);
  writeFileSync(file, `${text.slice(0, start + open.length)}\n${markdown.trim()}\n${text.slice(end)}`);
}
