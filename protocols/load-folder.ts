import { existsSync, statSync } from "node:fs";
import path from "node:path";
import { pathToFileURL } from "node:url";
import { Worker } from "node:worker_threads";
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

/** How long a protocol folder may take to load in the vetting thread: import, spec, checks() and all. */
export const FOLDER_LOAD_DEADLINE_MS = 10_000;

/**
 * Loads a protocol of your own from its folder: the module its package.json names as main (else index.js)
 * must export a ProtocolModule as `default` or as `protocol`. Its document is validated against
 * spec/schemas/protocol.schema.json; `dir` defaults to the folder.
 *
 * The folder is first loaded in a worker thread (its top-level code runs there once, then here), which is
 * stopped when it has not loaded, given its spec and settled its checks() within FOLDER_LOAD_DEADLINE_MS:
 * a folder that would hang this process is a ProtocolFolderError instead. `vetted` skips that (the thread
 * itself loads with it).
 */
export async function loadProtocolFolder(folder: string, { vetted = false } = {}): Promise<ProtocolModule> {
  const dir = path.resolve(folder);
  if (!existsSync(dir) || !statSync(dir).isDirectory()) throw new ProtocolFolderError(`${folder} is not a folder`);
  const entry = entryOf(dir);
  if (!existsSync(entry)) throw new ProtocolFolderError(`${folder} has no ${path.relative(dir, entry)} (nor a package.json naming its main module)`);
  if (!vetted) await loadsInThread(dir);
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

/** The exit code of a Node thread or process whose top-level await was left unsettled with nothing to wait for. */
const UNSETTLED_TOP_LEVEL_AWAIT = 13;

/** Loads the folder in a worker thread under the deadline; a ProtocolFolderError when it fails or hangs there. */
async function loadsInThread(dir: string): Promise<void> {
  const worker = new Worker(new URL("./load-folder-worker.js", import.meta.url), {
    workerData: { folder: dir },
    stdout: true,
    stderr: true,
    // A thread takes the process's Node options, and --input-type (a process started with -e) refuses a file.
    execArgv: process.execArgv.filter((arg) => !arg.startsWith("--input-type")),
  });
  // What the folder prints while it is vetted is printed again when it loads here.
  worker.stdout.resume();
  worker.stderr.resume();
  let timer: NodeJS.Timeout | undefined;
  try {
    const outcome = await new Promise<{ ok: boolean; message?: string }>((resolve) => {
      timer = setTimeout(
        () => resolve({ ok: false, message: `${dir} did not load within ${FOLDER_LOAD_DEADLINE_MS / 1000} s (its import, spec or checks() never finished)` }),
        FOLDER_LOAD_DEADLINE_MS,
      );
      worker.once("message", resolve);
      worker.once("error", (error) => resolve({ ok: false, message: `${dir}: ${describeThrown(error)}` }));
      worker.once("exit", (code) =>
        resolve({
          ok: false,
          message:
            // Node ends a thread whose top-level await can never settle (nothing left to wait for) with 13.
            code === UNSETTLED_TOP_LEVEL_AWAIT
              ? `${dir} did not load: its import, spec or checks() waits for something that never comes`
              : `${dir} ended its thread (exit code ${code}) while loading`,
        }),
      );
    });
    if (!outcome.ok) throw new ProtocolFolderError(outcome.message);
  } finally {
    clearTimeout(timer);
    await worker.terminate();
  }
}
