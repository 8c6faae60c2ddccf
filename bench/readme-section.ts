import { readFileSync, writeFileSync } from "node:fs";
import path from "node:path";
import { packageRoot } from "../spec/paths.js";

/**
 * Replaces the part of README.md between `<!-- bench:NAME -->` and `<!-- /bench:NAME -->` with a benchmark's
 * latest results, so that the README's numbers are a run's, not typed by hand.
 */
export function writeReadmeSection(name: string, markdown: string): void {
  const readme = path.join(packageRoot, "README.md");
  const text = readFileSync(readme, "utf8");
  const [open, close] = [`<!-- bench:${name} -->`, `<!-- /bench:${name} -->`];
  const start = text.indexOf(open);
  const end = text.indexOf(close);
  if (start < 0 || end < start) throw new Error(`README.md has no ${open} ... ${close} section`);
  writeFileSync(readme, `${text.slice(0, start + open.length)}\n${markdown.trim()}\n${text.slice(end)}`);
}
