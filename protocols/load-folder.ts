import { existsSync, statSync } from "node:fs";
import path from "node:path";
import { pathToFileURL } from "node:url";
import { readJson } from "../spec/read-json.js";
import { describeThrown } from "../spec/thrown.js";
import type { ProtocolModule } from "./protocol-module.js";

/** A protocol folder that cannot be used: what is wrong with it, in one line. */
export class ProtocolFolderError extends Error {}

/** The module a folder's package.json names as its main, else its index.js. */
function entryOf(dir: string): string {
  const manifest = path.join(dir, "package.json");
  if (existsSync(manifest)) {
    let main: unknown;
    try {
      ({ main } = readJson(manifest) as { main?: unknown });
    } catch (error) {
      throw new ProtocolFolderError(describeThrown(error));
    }
    if (typeof main === "string") return path.resolve(dir, main);
  }
  return path.join(dir, "index.js");
}

/** What a module's exported value lacks of a ProtocolModule, in words; empty when nothing. */
function problemsOf(value: Partial<ProtocolModule>): string[] {
  const problems: string[] = [];
  if (typeof value.spec?.protocol !== "string" || !Array.isArray(value.spec.rules)) problems.push("spec (a protocol document)");
  if (typeof value.checks !== "function") problems.push("checks()");
  if (typeof value.server?.start !== "function" || !Array.isArray(value.server.limits)) problems.push("server.start() and server.limits");
  if (!Array.isArray(value.tunableLimits)) problems.push("tunableLimits");
  if (typeof value.referenceLimits !== "object" || value.referenceLimits === null) problems.push("referenceLimits");
  return problems;
}

/**
 * Loads a protocol of your own from its folder: the module its package.json names as main (else index.js)
 * must export a ProtocolModule as `default` or as `protocol`. Its document is validated against
 * spec/schemas/protocol.schema.json; `dir` defaults to the folder.
 */
export async function loadProtocolFolder(folder: string): Promise<ProtocolModule> {
  const dir = path.resolve(folder);
  if (!existsSync(dir) || !statSync(dir).isDirectory()) throw new ProtocolFolderError(`${folder} is not a folder`);
  const entry = entryOf(dir);
  if (!existsSync(entry)) throw new ProtocolFolderError(`${folder} has no ${path.relative(dir, entry)} (nor a package.json naming its main module)`);
  let exported: { default?: unknown; protocol?: unknown };
  try {
    exported = (await import(pathToFileURL(entry).href)) as typeof exported;
  } catch (error) {
    throw new ProtocolFolderError(`cannot load ${entry}: ${describeThrown(error)}`);
  }
  const { assertValid } = await import("../spec/validator.js");
  // Its getters are the folder's code, and may throw anything: that is the folder's error, told in one line.
  try {
    const value = (exported.default ?? exported.protocol) as Partial<ProtocolModule> | undefined;
    if (typeof value !== "object" || value === null) throw new ProtocolFolderError(`${entry} exports no protocol module (as default or as protocol)`);
    const problems = problemsOf(value);
    if (problems.length > 0) throw new ProtocolFolderError(`${entry}'s protocol module lacks ${problems.join(", ")}`);
    assertValid("protocol.schema.json", JSON.parse(JSON.stringify(value.spec)), `${entry}'s spec`);
    return { ...(value as ProtocolModule), dir: value.dir ?? dir };
  } catch (error) {
    throw error instanceof ProtocolFolderError ? error : new ProtocolFolderError(`${entry}'s protocol module: ${describeThrown(error)}`);
  }
}
