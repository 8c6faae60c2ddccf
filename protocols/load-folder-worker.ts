/**
 * A protocol folder loaded in a worker thread, to see that it loads at all before this process trusts it:
 * a folder whose module never finishes importing (a `while (true)` at its top level), whose spec getter
 * never returns or whose checks() never settles would hang the process that loads it, and only a thread
 * can be stopped mid-loop. Posts `{ ok: true }` or `{ ok: false, message }`.
 */
import { parentPort, workerData } from "node:worker_threads";
import { describeThrown } from "../spec/thrown.js";
import { loadProtocolFolder, ProtocolFolderError } from "./load-folder.js";

const { folder } = workerData as { folder: string };
try {
  const module = await loadProtocolFolder(folder, { vetted: true });
  try {
    await module.checks();
  } catch (error) {
    throw new ProtocolFolderError(`checks() failed: ${describeThrown(error)}`);
  }
  parentPort!.postMessage({ ok: true });
} catch (error) {
  parentPort!.postMessage({ ok: false, message: error instanceof ProtocolFolderError ? error.message : describeThrown(error) });
}
