import { fileURLToPath } from "node:url";
import path from "node:path";

/** Root of the installed package (the folder holding spec/, fixtures/, dist/). */
export const packageRoot = fileURLToPath(new URL("../../", import.meta.url));

/** The folder of the machine-readable specs. */
export const specDir = path.join(packageRoot, "spec");

/** The folder of the built-in protocols, one folder each. */
export const protocolsDir = path.join(packageRoot, "protocols");

/** A file's path as reports and docs show it: relative to the package root when within it, else as given. */
export function shownPath(file: string): string {
  const relative = path.relative(packageRoot, file);
  return relative.startsWith("..") || path.isAbsolute(relative) ? file : relative.split(path.sep).join("/");
}
