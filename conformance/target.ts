import type net from "node:net";
import { closeServer, listen } from "../transport/tcp-server.js";

/** A server a check talks to. */
export interface ServerHandle {
  host: string;
  port: number;
  /** Stops the server if the kit started it; a no-op for a bare host/port. */
  stop(): Promise<void>;
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
  start(): Promise<ServerHandle>;
}

/** The target could not be reached or started: the CLI's exit 2, not a rule failure. */
export class TargetUnavailableError extends Error {}

/** A server someone else runs: every check shares it, and nothing resets its state. */
export function addressTarget(host: string, port: number): Target {
  return {
    label: `${host.includes(":") ? `[${host}]` : host}:${port}`,
    fresh: false,
    start: async () => ({ host, port, stop: async () => {} }),
  };
}

/** In-process servers (the reference, or a test's broken server), one per start on a free port. */
export function inProcessTarget(label: string, create: () => net.Server, host = "127.0.0.1"): Target {
  return {
    label,
    fresh: true,
    start: async () => {
      const server = create();
      const port = await listen(server, host, 0);
      return { host, port, stop: () => closeServer(server) };
    },
  };
}
