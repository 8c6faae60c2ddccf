import { spawn, type ChildProcess } from "node:child_process";
import { existsSync, statSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { setTimeout as delay } from "node:timers/promises";
import { freePort, listenerOwnedBy, portInUse, processTree, serverSockets, type Transport } from "./ports.js";
import { containedCommand, handlesSignal, type ResourceLimits } from "./containment.js";
import { exitWhenWritten } from "./exit-code.js";
import { unwatch, watch } from "./watchdog.js";
import { limitEnvName } from "../spec/protocol.js";
import { TargetUnavailableError, workFolder, type ServerExit, type ServerHandle, type StartOptions, type Target } from "./target.js";

export interface SpawnOptions {
  host: string;
  /** How the server is reached: decides how a free port is found and how readiness is seen. */
  transport?: Transport;
  /** How long the command may take to start listening. */
  startTimeoutMs?: number;
  /** The folder the command's relative paths are resolved against (the runner's working folder). */
  cwd?: string;
  /** Limits the server is to run with instead of the spec's: in its environment, named by limitEnvName. */
  limits?: Readonly<Record<string, number>>;
  /** What the server's processes may use (memory, CPU time, processes, file size); unlimited by default. */
  resources?: ResourceLimits;
}

/** How many ports a start tries when the one chosen was taken before the server could bind it. */
const PORT_ATTEMPTS = 8;
/** How long a spawned server may take to listen (a loaded machine, a slow interpreter) before it counts as failed to start. */
export const START_TIMEOUT_MS = 30_000;
/** How long a server has to end after SIGTERM before its process group gets SIGKILL. */
export const STOP_GRACE_MS = 1000;
/** How much of a server's output is kept, for the report of a crash: the last bytes only. */
const KEPT_OUTPUT_BYTES = 4096;
/**
 * How long a server that no longer listens on its port may take to exit: on a loaded machine an interpreter
 * that prints its traceback and tears down can take far longer than a check's grace.
 */
const DYING_GRACE_MS = 3000;
/** Lines of its last output a crash report shows. */
const SHOWN_OUTPUT_LINES = 8;

/**
 * Servers started from a shell command, each on a free port in a fresh temporary working folder (or the
 * folder a check gives, to restart a server on its files). The command gets HOST and PORT in its
 * environment and `{host}` / `{port}` substituted.
 */
export function spawnTarget(command: string, options: SpawnOptions): Target {
  const cwd = options.cwd ?? process.cwd();
  const resolved = absolutizePaths(command, cwd);
  return {
    label: `spawn: ${command}`,
    fresh: true,
    restartable: true,
    killable: true,
    concurrent: true,
    start: async (startOptions = {}) => {
      // Stopping a server means signalling its process group, which Windows does not have.
      if (process.platform === "win32")
        throw new TargetUnavailableError(
          "--spawn needs a POSIX system (sh and process groups): on Windows run sockspec in WSL, or check a running server with --host/--port",
        );
      const env = Object.fromEntries(Object.entries(options.limits ?? {}).map(([name, value]) => [limitEnvName(name), String(value)]));
      const how = {
        transport: options.transport ?? "tcp",
        startTimeoutMs: options.startTimeoutMs ?? START_TIMEOUT_MS,
        env,
        resources: options.resources ?? {},
      };
      return startServer(resolved, options.host, how, startOptions);
    },
  };
}

/**
 * The server runs in a temporary folder, so relative paths in the command that name existing files
 * (`python3 ../legacy/tcpserver.py`, `./server`) are made absolute against the folder sockspec was run
 * from, and so is a bare file name in the script's place, right after the program (`python3 server.py`).
 * A bare name elsewhere (`--data user.txt`) is left to mean a file in the server's own folder; the first
 * word is a command looked up on PATH unless it has a slash.
 */
export function absolutizePaths(command: string, cwd: string): string {
  return command
    .split(" ")
    .map((word, i) => {
      if (!/^[\w.@+/-]+$/.test(word) || word.startsWith("-") || path.isAbsolute(word)) return word;
      if (!word.includes("/") && i !== 1) return word;
      const full = path.resolve(cwd, word);
      return isFile(full) ? full : word;
    })
    .join(" ");
}

function isFile(file: string): boolean {
  try {
    return existsSync(file) && statSync(file).isFile();
  } catch {
    return false;
  }
}

/**
 * Process groups of the servers this process started and has not stopped. They run detached (a group of
 * their own, so a stop ends what the shell started too), so no terminal signal reaches them: whatever ends
 * this process must end them. An exit handler kills them; a watchdog process does when this one is killed
 * outright (SIGKILL runs no handler).
 */
const liveGroups = new Set<number>();

/** Has a process group killed on every exit path of this process, until untracked (a stop of the kit's own). */
export function track(group: number): void {
  liveGroups.add(group);
  watch(group, true);
}

export function untrack(group: number): void {
  if (liveGroups.delete(group)) unwatch(group, true);
}

/** Kills every server this process started and has not stopped (SIGKILL to each process group). */
export function killSpawnedServers(): void {
  for (const group of liveGroups) signalGroup(group, "SIGKILL");
  liveGroups.clear();
}

process.on("exit", killSpawnedServers);

let signalsHandled = false;
/**
 * On SIGINT, SIGTERM or SIGHUP, ends this process with the signal's exit code (128 + its number) through
 * process.exit, so that the exit handlers run: the spawned servers are killed (the CLI and the tests call
 * it; a library user decides for their own process).
 */
export function killSpawnedServersOnSignals(): void {
  if (signalsHandled) return;
  signalsHandled = true;
  for (const signal of ["SIGINT", "SIGTERM", "SIGHUP"] as const) process.once(signal, () => exitWhenWritten(128 + os.constants.signals[signal]));
}

/** How a command is started: what it serves, how long it may take, and what it runs with. */
interface StartHow {
  transport: Transport;
  startTimeoutMs: number;
  env: Record<string, string>;
  resources: ResourceLimits;
}

async function startServer(command: string, host: string, how: StartHow, options: StartOptions): Promise<ServerHandle> {
  const folder = await workFolder(options);
  try {
    for (let attempt = 1; ; attempt++) {
      const port = await freePort(how.transport, host);
      const started = await startOnPort(command, host, port, how, folder);
      if (started !== "port taken") return started;
      // The port was free when chosen and taken before the server bound it (a busy machine): another port.
      if (attempt >= PORT_ATTEMPTS)
        throw new TargetUnavailableError(`server command could not bind a free port in ${PORT_ATTEMPTS} attempts (the last: ${port})`);
    }
  } catch (error) {
    await folder.release();
    throw error;
  }
}

/** Starts the command on a port; "port taken" when it found the port in use (it exited saying so or while another socket held the port, or another process listens on it). */
async function startOnPort(
  command: string,
  host: string,
  port: number,
  { transport, startTimeoutMs, env, resources }: StartHow,
  folder: { path: string; release(): Promise<void> },
): Promise<ServerHandle | "port taken"> {
  const contained = await containedCommand(command.replaceAll("{host}", host).replaceAll("{port}", String(port)), resources).catch((error: Error) => {
    throw new TargetUnavailableError(error.message);
  });
  const child = spawn(contained.file, contained.args, {
    cwd: folder.path,
    detached: true, // its own process group, so stop() also ends what the shell started
    stdio: ["ignore", "pipe", "pipe"],
    env: { ...process.env, ...env, HOST: host, PORT: String(port), PYTHONUNBUFFERED: "1" },
  });
  // A program that cannot be started ends in "close" as well; its "error" says nothing more.
  child.on("error", () => {});
  const group = child.pid!;
  track(group);
  const owner = (held?: Map<string, number>) => listenerOwnedBy(transport, port, group, held, contained.namespaced);
  const output = new OutputTail(KEPT_OUTPUT_BYTES);
  child.stdout!.on("data", (chunk: Buffer) => output.add(chunk));
  child.stderr!.on("data", (chunk: Buffer) => output.add(chunk));
  const exited = new Promise<ServerExit>((resolve) =>
    child.once("close", (code, signal) => resolve({ code, signal, output: output.lastLines(SHOWN_OUTPUT_LINES) })),
  );
  let ended: ServerExit | undefined;
  let stopping = false;
  void exited.then((exit) => {
    ended = exit;
    untrack(group);
  });

  const end = async (how: (child: ChildProcess, exited: Promise<ServerExit>) => Promise<void>) => {
    stopping = true;
    await how(child, exited);
    untrack(group);
  };
  const handle: ServerHandle = {
    host,
    port,
    workdir: folder.path,
    stop: async () => {
      await end((child, exited) => terminateGroup(child, exited, contained.namespaced));
      await folder.release();
    },
    kill: async () => {
      await end(async () => {
        signalGroup(group, "SIGKILL");
        await exited;
      });
      await folder.release();
    },
    exited: async (graceMs = 0) => {
      if (!ended && graceMs > 0) await Promise.race([exited, delay(graceMs)]);
      // A TCP server that stopped listening is on its way out (a UDP server's socket lives until it exits).
      if (!ended && !stopping && graceMs > 0 && transport === "tcp" && (await owner()) === "none") await Promise.race([exited, delay(DYING_GRACE_MS)]);
      return stopping ? undefined : ended;
    },
  };
  const deadline = performance.now() + startTimeoutMs;
  for (;;) {
    if (ended) {
      untrack(group);
      signalGroup(group, "SIGKILL"); // the shell is gone; make sure nothing it started lingers
      // Some servers report a bind failure in words of their own (the original: "Error in setting up connection").
      if (/EADDRINUSE|address already in use/i.test(ended.output) || (await portInUse(transport, port))) return "port taken";
      // A command that daemonizes leaves nothing to check: what it started ended with it.
      const foreground = ended.code === 0 ? " (a server command must keep running in the foreground)" : "";
      throw new TargetUnavailableError(
        `server command exited with code ${ended.code ?? ended.signal} before listening on port ${port}${foreground}: ${output.lastWords() || "(no output)"}`,
      );
    }
    // Until the server holds a socket of its own it cannot be listening: the costly TCP tables wait.
    const held = transport === "tcp" ? await serverSockets(group) : undefined;
    const listener = held?.size === 0 ? "none" : await owner(held);
    if (listener === "ours") return handle;
    // Without /proc (not Linux) a READY line on its output is the only sign that costs the server nothing.
    if (listener === undefined && output.text().includes("READY")) return handle;
    if (listener === "another process") {
      await end((child, exited) => terminateGroup(child, exited, contained.namespaced));
      return "port taken";
    }
    if (performance.now() > deadline) {
      await end((child, exited) => terminateGroup(child, exited, contained.namespaced));
      const why = listener === undefined ? " (without /proc, a server is known to be ready only once it prints a line with READY)" : "";
      throw new TargetUnavailableError(`server command did not listen on ${host}:${port} within ${startTimeoutMs} ms${why}`);
    }
    await delay(10); // no event announces a listening port; poll
  }
}

/** The last bytes a process printed, kept within a bound whatever it prints. */
class OutputTail {
  private kept = Buffer.alloc(0);
  constructor(private readonly limit: number) {}

  add(chunk: Buffer): void {
    this.kept = Buffer.concat([this.kept, chunk.subarray(Math.max(0, chunk.length - this.limit))]);
    if (this.kept.length > this.limit) this.kept = this.kept.subarray(this.kept.length - this.limit);
  }

  text(): string {
    return this.kept.toString("utf8");
  }

  /**
   * The last line that says something: Node.js ends an uncaught exception's report with its stack frames and
   * its version, which say nothing of what went wrong; the error's own line comes before them.
   */
  lastWords(): string {
    const said = this.text()
      .split("\n")
      .filter((line) => line.trim() !== "" && !/^Node\.js v\d/.test(line.trim()) && !/^\s+at /.test(line));
    return said.at(-1) ?? "";
  }

  lastLines(n: number): string {
    return this.text().trimEnd().split("\n").slice(-n).join("\n");
  }
}

/** Signals a whole process group: the shell and what it started. */
export function signalGroup(group: number, signal: NodeJS.Signals): void {
  signalProcess(-group, signal);
}

/** Signals a process (a negative pid: a process group), which may be gone already. */
function signalProcess(pid: number, signal: NodeJS.Signals): void {
  try {
    process.kill(pid, signal);
  } catch {
    // already gone
  }
}

/**
 * SIGTERM to the group, SIGKILL after STOP_GRACE_MS; resolves once the shell has exited, and nothing it
 * started lingers. In a PID namespace SIGTERM goes to every process in it, a daemon outside the group
 * included; the kernel delivers it to the namespace's first process only if that handles it, so a server
 * that replaced the shell (`exec`) and neither handles SIGTERM nor waits on a process of its own is killed,
 * as SIGTERM would have killed it anywhere else.
 */
async function terminateGroup(child: ChildProcess, exited: Promise<ServerExit>, namespaced: boolean): Promise<void> {
  const group = child.pid!;
  if (child.exitCode !== null || child.signalCode !== null) {
    signalGroup(group, "SIGKILL");
    return;
  }
  signalGroup(group, "SIGTERM");
  if (namespaced) {
    const tree = (await processTree(group)) ?? [];
    for (const pid of tree.slice(1)) signalProcess(pid, "SIGTERM");
    const init = tree[1];
    if (init !== undefined && tree.length === 2 && !(await handlesSignal(init, "SIGTERM"))) signalGroup(group, "SIGKILL");
  }
  const timer = setTimeout(() => signalGroup(group, "SIGKILL"), STOP_GRACE_MS);
  await exited;
  clearTimeout(timer);
  signalGroup(group, "SIGKILL"); // what the shell started and left behind
}
