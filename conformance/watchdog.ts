import { spawn, type ChildProcess } from "node:child_process";

/**
 * A process of its own that kills the processes this one started when this one ends, however it ends:
 * SIGKILL and crashes run no exit handler, but they close the watchdog's standard input. Started at the
 * first process it is told of; told of each by a line on that input (`+g<pgid>`, `+p<pid>`, `-...`).
 */
const WATCHDOG = `
const watched = new Set();
let pending = "";
process.stdin.on("data", (chunk) => {
  pending += chunk;
  for (let end; (end = pending.indexOf("\\n")) >= 0; pending = pending.slice(end + 1)) {
    const line = pending.slice(0, end);
    if (line[0] === "+") watched.add(line.slice(1)); else watched.delete(line.slice(1));
  }
});
process.stdin.on("end", () => {
  for (const entry of watched) {
    try { process.kill((entry[0] === "g" ? -1 : 1) * Number(entry.slice(1)), "SIGKILL"); } catch {}
  }
  process.exit(0);
});`;

let watchdog: ChildProcess | undefined;

function tell(line: string): void {
  if (!watchdog) {
    watchdog = spawn(process.execPath, ["-e", WATCHDOG], { detached: true, stdio: ["pipe", "ignore", "ignore"] });
    // It must neither keep this process alive nor go down with its process group.
    watchdog.unref();
    (watchdog.stdin as unknown as { unref(): void }).unref();
    watchdog.stdin!.on("error", () => {});
  }
  watchdog.stdin!.write(`${line}\n`);
}

/** Has the watchdog kill a process (or, with group, its whole process group) if this process ends first. */
export function watch(pid: number, group = false): void {
  tell(`+${group ? "g" : "p"}${pid}`);
}

/** The process ended or was stopped: the watchdog forgets it. */
export function unwatch(pid: number, group = false): void {
  if (watchdog) tell(`-${group ? "g" : "p"}${pid}`);
}
