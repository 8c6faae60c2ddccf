import type dgram from "node:dgram";
import { mkdtemp, rm } from "node:fs/promises";
import type net from "node:net";
import os from "node:os";
import path from "node:path";
import { hostPort } from "../transport/address.js";
import type { TranscriptEvent } from "../transport/transcript.js";
import { closeServer, listen } from "../transport/tcp-server.js";
import { bind, closeSocket } from "../transport/udp-server.js";

/** A server a check talks to. */
export interface ServerHandle {
  host: string;
  port: number;
  /** The server's working folder, where it keeps its files (unknown for a bare host/port). */
  workdir?: string;
  /** Stops the server if the kit started it; a no-op for a bare host/port. */
  stop(): Promise<void>;
  /** Kills the server at once (SIGKILL), as a crash would; only servers of their own process have it. */
  kill?(): Promise<void>;
  /**
   * Whether the server's process has ended of itself (not by stop() or kill()), waiting up to graceMs for
   * it to be known; only servers of their own process have it.
   */
  exited?(graceMs?: number): Promise<ServerExit | undefined>;
}

/** How a server's process ended, and the last of what it printed. */
export interface ServerExit {
  code: number | null;
  signal: string | null;
  /** The last lines of its standard error and output. */
  output: string;
}

/** How a server's process ended, in a few words: `the server exited with code 0`. */
export function exitInWords(exit: ServerExit): string {
  return `the server ${exit.signal ? `was killed by ${exit.signal}` : `exited with code ${exit.code}`}`;
}

/** A server's exit in words, with its last output, for a report's `observed`. */
export function describeExit(exit: ServerExit): string {
  return `${exitInWords(exit)}${exit.output ? `; its last output:\n${exit.output}` : " and printed nothing"}`;
}

/** A server's exit as the last event of a transcript. */
export function exitEvent(exit: ServerExit): TranscriptEvent {
  return { conn: "server", type: "exit", text: describeExit(exit) };
}

export interface StartOptions {
  /** The server must run in a process of its own, so that it can be killed (ServerHandle.kill). */
  process?: boolean;
  /**
   * Start the server in this folder (the caller owns it: it is kept after stop), e.g. to restart a
   * server on its own files. By default each server gets a new temporary folder, removed on stop.
   */
  workdir?: string;
}

/**
 * What the runner checks. A target that can start fresh servers gives every destructive check (the quota
 * makes most capitalizer checks destructive) servers of its own; a bare host/port has one shared server.
 */
export interface Target {
  /** For reports: host:port, the spawned command, or the built-in reference. */
  label: string;
  /** Whether start() gives a new server each time (false for a bare host/port). */
  fresh: boolean;
  /**
   * Whether the runner starts its servers itself, each in a folder it can choose (StartOptions.workdir), so
   * that a server can be restarted on its files; not so for a server that a --reset command resets.
   */
  restartable?: boolean;
  /** Whether its servers can be killed (ServerHandle.kill) when started with `process`, as processes of their own can. */
  killable?: boolean;
  /**
   * Whether servers it starts are independent of each other, so that rules may run side by side (false
   * for a bare host/port or a server reset by a command: there is one server, whose state all rules share).
   */
  concurrent?: boolean;
  start(options?: StartOptions): Promise<ServerHandle>;
  /** Limits its servers are configured with where they differ from the spec's (e.g. a shorter challenge timeout). */
  limits?: Readonly<Record<string, number>>;
}

/** The target could not be reached or started: the CLI's exit 2, not a rule failure. */
export class TargetUnavailableError extends Error {}

/** A rule cannot be checked from this machine (e.g. it has no second loopback address): it is skipped, saying why. */
export class NotCheckableError extends Error {}

/**
 * The kit itself was too slow to judge a property run (a loaded machine starved it past a limit the server
 * may act on, such as its idle timeout): the run proves nothing either way, and is made again on a fresh
 * server before the rule counts as not checked (see SLOW_RUN_RETRIES).
 */
export class TooSlowToJudgeError extends NotCheckableError {}

/** Whether an error says the rule could not be checked (no target, or not from here), rather than that it failed. */
export function leftUnchecked(error: unknown): error is TargetUnavailableError | NotCheckableError {
  return error instanceof TargetUnavailableError || error instanceof NotCheckableError;
}

/** A server someone else runs: every check shares it, and nothing resets its state. */
export function addressTarget(host: string, port: number): Target {
  return {
    label: hostPort(host, port),
    fresh: false,
    start: async () => ({ host, port, stop: async () => {} }),
  };
}

/** A server running in this process, as a start function gives it. */
export interface InProcessServer {
  port: number;
  close(): Promise<void>;
}

/** In-process servers (the reference, or a test's broken server), one per start on a free port. */
export function inProcessTarget(label: string, start: (host: string, workdir: string) => Promise<InProcessServer>, host = "127.0.0.1"): Target {
  return {
    label,
    fresh: true,
    restartable: true,
    concurrent: true,
    start: async (options = {}) => {
      const folder = await workFolder(options);
      const server = await start(host, folder.path).catch(async (error: unknown) => {
        await folder.release();
        throw error;
      });
      return {
        host,
        port: server.port,
        workdir: folder.path,
        stop: async () => {
          await server.close();
          await folder.release();
        },
      };
    },
  };
}

/** The caller's folder, or a new temporary one that release() removes. */
export async function workFolder(options: StartOptions): Promise<{ path: string; release(): Promise<void> }> {
  if (options.workdir) return { path: options.workdir, release: async () => {} };
  const made = await mkdtemp(path.join(os.tmpdir(), "sockspec-"));
  return { path: made, release: () => rm(made, { recursive: true, force: true }) };
}

/** Runs with a new temporary folder of its own, removed afterwards whatever happened. */
export async function inWorkFolder<T>(run: (path: string) => Promise<T>): Promise<T> {
  const folder = await workFolder({});
  try {
    return await run(folder.path);
  } finally {
    await folder.release();
  }
}

/** Start function for a TCP server made by `create`, listening on a free port. */
export function tcpServer(create: () => net.Server): (host: string) => Promise<InProcessServer> {
  return async (host) => {
    const server = create();
    const port = await listen(server, host, 0);
    return { port, close: () => closeServer(server) };
  };
}

/** Start function for a UDP server that `create` makes for a working folder and host, bound to a free port. */
export function udpServer(create: (workdir: string, host: string) => Promise<dgram.Socket>): (host: string, workdir: string) => Promise<InProcessServer> {
  return async (host, workdir) => {
    const socket = await create(workdir, host);
    return { port: await bind(socket, host, 0), close: () => closeSocket(socket) };
  };
}
