import { spawn, type ChildProcess } from "node:child_process";
import { existsSync } from "node:fs";
import path from "node:path";
import { setTimeout as delay } from "node:timers/promises";
import { freePort, isBound, type Transport } from "./ports.js";
import { TargetUnavailableError, workFolder, type ServerHandle, type StartOptions, type Target } from "./target.js";

export interface SpawnOptions {
  host: string;
  /** How the server is reached: decides how a free port is found and how readiness is seen. */
  transport?: Transport;
  /** How long the command may take to start listening. */
  startTimeoutMs?: number;
  /** The folder the command's relative paths are resolved against (the runner's working folder). */
  cwd?: string;
}

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
    start: (startOptions = {}) => startServer(resolved, options.host, options.transport ?? "tcp", options.startTimeoutMs ?? 10_000, startOptions),
  };
}

/**
 * The server runs in a temporary folder, so relative paths in the command that name existing files
 * (`python3 ../legacy/tcpserver.py`) are made absolute against the folder sockspec was run from.
 */
export function absolutizePaths(command: string, cwd: string): string {
  return command
    .split(" ")
    .map((word) =>
      /^\.{0,2}\/?[\w.@+-]+(\/[\w.@+-]+)+$/.test(word) && !path.isAbsolute(word) && existsSync(path.resolve(cwd, word)) ? path.resolve(cwd, word) : word,
    )
    .join(" ");
}

async function startServer(command: string, host: string, transport: Transport, startTimeoutMs: number, options: StartOptions): Promise<ServerHandle> {
  const port = await freePort(transport, host);
  const folder = await workFolder(options);
  const child = spawn(command.replaceAll("{host}", host).replaceAll("{port}", String(port)), {
    shell: true,
    cwd: folder.path,
    detached: true, // its own process group, so stop() also ends what the shell started
    stdio: ["ignore", "pipe", "pipe"],
    env: { ...process.env, HOST: host, PORT: String(port), PYTHONUNBUFFERED: "1" },
  });
  const output: string[] = [];
  const keep = (chunk: Buffer) => output.push(chunk.toString("utf8"));
  child.stdout!.on("data", keep);
  child.stderr!.on("data", keep);
  const exited = new Promise<number | null>((resolve) => child.once("exit", (code) => resolve(code)));
  let running = true;
  void exited.then(() => (running = false));

  const stop = async () => {
    await killGroup(child, exited);
    await folder.release();
  };
  const kill = async () => {
    signalGroup(child, "SIGKILL");
    await exited;
    await folder.release();
  };
  const deadline = performance.now() + startTimeoutMs;
  for (;;) {
    if (!running) {
      await stop();
      throw new TargetUnavailableError(`server command exited with code ${await exited} before listening on port ${port}: ${lastLine(output)}`);
    }
    const listening = await isBound(transport, port);
    // Without /proc (not Linux) a READY line on its output is the only sign that costs the server nothing.
    if (listening ?? output.join("").includes("READY")) return { host, port, workdir: folder.path, stop, kill };
    if (performance.now() > deadline) {
      await stop();
      throw new TargetUnavailableError(`server command did not listen on ${host}:${port} within ${startTimeoutMs} ms`);
    }
    await delay(10); // no event announces a listening port; poll
  }
}

/** Signals the command's whole process group: the shell and what it started. */
function signalGroup(child: ChildProcess, signal: NodeJS.Signals): void {
  try {
    process.kill(-child.pid!, signal);
  } catch {
    // already gone
  }
}

async function killGroup(child: ChildProcess, exited: Promise<number | null>): Promise<void> {
  const signal = (sig: NodeJS.Signals) => signalGroup(child, sig);
  if (child.exitCode !== null || child.signalCode !== null) {
    signal("SIGKILL"); // the shell is gone; make sure nothing it started lingers
    return;
  }
  signal("SIGTERM");
  const timer = setTimeout(() => signal("SIGKILL"), 1000);
  await exited;
  clearTimeout(timer);
}

function lastLine(output: string[]): string {
  const lines = output.join("").trim().split("\n");
  return lines[lines.length - 1] || "(no output)";
}
