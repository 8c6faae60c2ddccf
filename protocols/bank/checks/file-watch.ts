import { watch, type FSWatcher } from "node:fs";
import { readFile } from "node:fs/promises";
import path from "node:path";

/**
 * Watches a file while a check runs (inotify, through fs.watch) and reads it at every change, so that a
 * state the file must never be in is seen even when no kill happens to land in it: a file rewritten in
 * place is empty or cut short for a moment. `isBad` says what such a state is; the first one seen is kept.
 */
export class FileWatch {
  private readonly watcher: FSWatcher;
  private reading = Promise.resolve();
  private waitingForLook: Array<() => void> = [];
  /** The first bad content seen, and what the check was doing then. */
  bad?: { content: string; during: string };
  /** What the check is doing, for the report. */
  during = "at the start";

  constructor(
    private readonly file: string,
    private readonly isBad: (content: string | undefined) => boolean,
  ) {
    this.watcher = watch(path.dirname(file), (_event, name) => {
      if (name === path.basename(file)) this.reading = this.reading.then(() => this.look());
    });
    this.watcher.on("error", () => {}); // the folder went away with the check: nothing more to see
  }

  private async look(): Promise<void> {
    if (!this.bad) {
      const during = this.during;
      const content = await readFile(this.file, "utf8").catch(() => undefined);
      if (this.isBad(content)) this.bad = { content: content ?? "(no file)", during };
    }
    for (const resolve of this.waitingForLook.splice(0)) resolve();
  }

  /** Resolves once the watch has read the file after the next change it is told of. */
  nextLook(): Promise<void> {
    return new Promise((resolve) => this.waitingForLook.push(resolve));
  }

  /** Waits for the reads under way, then stops watching. */
  async close(): Promise<void> {
    await this.reading;
    this.watcher.close();
  }
}
