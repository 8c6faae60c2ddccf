import { spawn } from "node:child_process";
import { setTimeout as delay } from "node:timers/promises";
import type { TranscriptRecorder } from "../../transport/transcript.js";
import { Waker } from "../../transport/waker.js";
import { absolutizePaths, signalGroup, track, untrack } from "../spawn.js";
import { TargetUnavailableError } from "../target.js";

/** How a client process ended. */
export interface ClientExit {
  code: number | null;
  signal: NodeJS.Signals | null;
}

/** The most of each output stream a run keeps: enough to judge and to report, bounded whatever a client prints. */
export const KEPT_CLIENT_OUTPUT_BYTES = 256 * 1024;
/** How long a client has to end after SIGTERM before its process group gets SIGKILL. */
const CLIENT_STOP_GRACE_MS = 500;

/** A stack trace as Python (`Traceback (most recent call last):`) or Node.js (`    at f (file.js:1:2)`) prints one. */
export function showsTraceback(text: string): boolean {
  return /^Traceback \(most recent call last\):/m.test(text) || /^\s+at .+:\d+:\d+\)?$/m.test(text);
}

export function exitInWords(exit: ClientExit): string {
  return exit.signal !== null ? `ended by ${exit.signal}` : `exited with status ${exit.code}`;
}

/**
 * A client under test, started from a shell command with HOST and PORT in its environment (and `{host}`,
 * `{port}` substituted): its standard input a pipe the check writes, its output kept up to a cap and
 * recorded, in a process group of its own that `stop` (and the kit's exit, however it ends) kills. It is
 * not put in a PID namespace as servers are: the first process of one ignores a SIGINT it does not
 * handle, and what a client does on SIGINT is checked as it would happen at a terminal.
 */
export class ClientProcess {
  private readonly output = { stdout: Buffer.alloc(0), stderr: Buffer.alloc(0) };
  private readonly waker = new Waker();
  private ended: ClientExit | undefined;
  private readonly group: number;
  private stopping = false;
  readonly exited: Promise<ClientExit>;

  private constructor(
    command: string,
    env: Record<string, string>,
    cwd: string,
    private readonly recorder: TranscriptRecorder,
  ) {
    const child = spawn("/bin/sh", ["-c", command], { cwd, detached: true, stdio: ["pipe", "pipe", "pipe"], env: { ...process.env, ...env } });
    child.on("error", () => {}); // a program that cannot start ends in "close" too
    child.stdin!.on("error", () => {}); // a client that exits before reading its input
    this.child = child;
    this.group = child.pid!;
    track(this.group);
    for (const stream of ["stdout", "stderr"] as const)
      child[stream]!.on("data", (chunk: Buffer) => {
        const room = KEPT_CLIENT_OUTPUT_BYTES - this.output[stream].length;
        if (room > 0) this.output[stream] = Buffer.concat([this.output[stream], chunk.subarray(0, room)]);
        this.recorder.record(stream, "recv", chunk);
        this.waker.wake();
      });
    this.exited = new Promise((resolve) =>
      child.once("close", (code, signal) => {
        this.ended = { code, signal };
        untrack(this.group);
        if (!this.stopping) this.recorder.record("client", "exit", Buffer.from(exitInWords(this.ended)));
        this.waker.wake();
        resolve(this.ended);
      }),
    );
  }

  private readonly child: ReturnType<typeof spawn>;

  /** Starts the client command against a server at host:port, from cwd (relative paths in it resolved there). */
  static start(command: string, host: string, port: number, cwd: string, recorder: TranscriptRecorder): ClientProcess {
    if (process.platform === "win32") throw new TargetUnavailableError("--spawn needs a POSIX system (sh and process groups)");
    const resolved = absolutizePaths(command, cwd).replaceAll("{host}", host).replaceAll("{port}", String(port));
    return new ClientProcess(resolved, { HOST: host, PORT: String(port), PYTHONUNBUFFERED: "1" }, cwd, recorder);
  }

  /** What the client printed on standard output and standard error so far, as text. */
  get stdout(): string {
    return this.output.stdout.toString("utf8");
  }

  get stderr(): string {
    return this.output.stderr.toString("utf8");
  }

  /** How it ended, or undefined while it runs. */
  get exit(): ClientExit | undefined {
    return this.ended;
  }

  /** Types lines on its standard input, each ended by a newline. */
  type(lines: readonly string[]): void {
    if (lines.length === 0 || this.child.stdin!.destroyed) return;
    const text = lines.map((line) => `${line}\n`).join("");
    this.recorder.record("stdin", "send", Buffer.from(text));
    this.child.stdin!.write(text);
  }

  /** Ends its standard input, as Ctrl+D at a terminal does. */
  endInput(): void {
    this.recorder.record("stdin", "close");
    this.child.stdin!.end();
  }

  /** Interrupts it as Ctrl+C at a terminal does: SIGINT to its whole process group. */
  interrupt(): void {
    this.recorder.record("client", "exit", Buffer.from("SIGINT sent (Ctrl+C)"));
    signalGroup(this.group, "SIGINT");
  }

  /** Waits until the predicate holds of what it printed, or it exited, or timeoutMs passed: whether the predicate holds. */
  async waitOutput(holds: (stdout: string, stderr: string) => boolean, timeoutMs: number): Promise<boolean> {
    const deadline = performance.now() + timeoutMs;
    for (;;) {
      if (holds(this.stdout, this.stderr)) return true;
      if (this.ended || performance.now() >= deadline) return false;
      await this.waker.wait(deadline - performance.now());
    }
  }

  /** Its exit, or undefined when it is still running after timeoutMs. */
  async waitExit(timeoutMs: number): Promise<ClientExit | undefined> {
    if (this.ended) return this.ended;
    let timer: NodeJS.Timeout | undefined;
    const result = await Promise.race([this.exited, new Promise<undefined>((resolve) => (timer = setTimeout(() => resolve(undefined), timeoutMs)))]);
    clearTimeout(timer);
    return result;
  }

  /** Stops it and everything it started: SIGTERM to its group, SIGKILL after a grace; resolves once it is gone. */
  async stop(): Promise<void> {
    this.stopping = true;
    this.child.stdin!.destroy();
    if (!this.ended) {
      signalGroup(this.group, "SIGTERM");
      if (!(await Promise.race([this.exited.then(() => true), delay(CLIENT_STOP_GRACE_MS, false)]))) signalGroup(this.group, "SIGKILL");
      await this.exited;
    }
    signalGroup(this.group, "SIGKILL"); // anything it started and left behind
    untrack(this.group);
  }
}
