import dgram from "node:dgram";
import { readdir, readFile, readlink } from "node:fs/promises";
import net from "node:net";
import { closeServer, listen } from "../transport/tcp-server.js";
import { bind, closeSocket } from "../transport/udp-server.js";

export type Transport = "tcp" | "udp";

/**
 * A port that is free on the host now, for a server the runner is about to start. Where the OS says which
 * ports it hands out to outgoing connections (Linux), the port is chosen below that range: a client socket
 * of a concurrent check then never holds the port when the server comes to bind it, which matters for a
 * server that binds without SO_REUSEADDR and reports the clash in words of its own.
 */
export async function freePort(transport: Transport, host: string): Promise<number> {
  const below = await outgoingPortsStart();
  for (let attempt = 0; below !== undefined && attempt < 20; attempt++) {
    const port = LOWEST_CHOSEN_PORT + Math.floor(Math.random() * (below - LOWEST_CHOSEN_PORT));
    if (!(await portInUse(transport, port)) && (await bindsOn(transport, host, port))) return port;
  }
  return bindsOn(transport, host, 0) as Promise<number>;
}

/** The lowest port freePort chooses: clear of the well-known and commonly registered ones. */
const LOWEST_CHOSEN_PORT = 10_000;

/** The first port of the OS's range for outgoing connections, when it leaves room below it; undefined otherwise. */
async function outgoingPortsStart(): Promise<number | undefined> {
  const range = await readFile("/proc/sys/net/ipv4/ip_local_port_range", "utf8").catch(() => "");
  const start = Number(range.trim().split(/\s+/)[0]);
  return Number.isInteger(start) && start > LOWEST_CHOSEN_PORT + 1000 ? start : undefined;
}

/** Binds the port (0: one the OS picks) and lets it go; the port bound, or false when it was taken. */
async function bindsOn(transport: Transport, host: string, port: number): Promise<number | false> {
  try {
    if (transport === "udp") {
      const socket = dgram.createSocket(host.includes(":") ? "udp6" : "udp4");
      const bound = await bind(socket, host, port).catch(async (error: unknown) => {
        await closeSocket(socket);
        throw error;
      });
      await closeSocket(socket);
      return bound;
    }
    const probe = net.createServer();
    const bound = await listen(probe, host, port);
    await closeServer(probe);
    return bound;
  } catch (error) {
    if (port !== 0 && (error as NodeJS.ErrnoException).code === "EADDRINUSE") return false;
    throw error;
  }
}

/**
 * Whether any socket of the transport has the port as its local port, in any state (listening, connected,
 * TIME_WAIT), from /proc/net; false without /proc. A server that exits before listening while this holds
 * most likely could not bind: the port was taken between being chosen and being bound.
 */
export async function portInUse(transport: Transport, port: number): Promise<boolean> {
  return ((await socketsOnPort(transport, port, "any state")) ?? new Set()).size > 0;
}

/**
 * Whether a server is bound to the port (TCP: listening), and whether by a process of the given process
 * group, read from /proc rather than by sending it anything: to the original capitalizer a client that
 * connects and closes costs a sentence, and the original bank sends every challenge to the first address
 * that ever wrote to it. "another process" means the port was taken by someone else before the server
 * could bind it. Undefined where /proc is not available (not Linux).
 */
export async function listenerOwnedBy(transport: Transport, port: number, group: number): Promise<"ours" | "another process" | "none" | undefined> {
  const inodes = await boundSockets(transport, port);
  if (inodes === undefined) return undefined;
  if (inodes.size === 0) return "none";
  const owned = await socketsOfGroup(group);
  return [...inodes].some((inode) => owned.has(inode)) ? "ours" : "another process";
}

/** The inodes of the sockets bound to the port (TCP: listening), from /proc/net; undefined without /proc. */
function boundSockets(transport: Transport, port: number): Promise<Set<string> | undefined> {
  return socketsOnPort(transport, port, transport === "tcp" ? "listening" : "any state");
}

/** The inodes of the sockets whose local port is the port, from /proc/net; undefined without /proc. */
async function socketsOnPort(transport: Transport, port: number, state: "listening" | "any state"): Promise<Set<string> | undefined> {
  const files = transport === "tcp" ? ["/proc/net/tcp", "/proc/net/tcp6"] : ["/proc/net/udp", "/proc/net/udp6"];
  const tables = await Promise.all(files.map((file) => readFile(file, "utf8").catch(() => undefined)));
  if (tables.every((t) => t === undefined)) return undefined;
  const portHex = port.toString(16).toUpperCase().padStart(4, "0");
  const LISTEN = "0A";
  const inodes = new Set<string>();
  for (const table of tables) {
    for (const line of (table ?? "").split("\n").slice(1)) {
      // sl local_address rem_address st tx_queue:rx_queue tr:tm->when retrnsmt uid timeout inode
      const fields = line.trim().split(/\s+/);
      if (fields[1]?.endsWith(`:${portHex}`) && (state === "any state" || fields[3] === LISTEN)) inodes.add(fields[9]!);
    }
  }
  return inodes;
}

/** The socket inodes held open by the processes of a process group. */
async function socketsOfGroup(group: number): Promise<Set<string>> {
  const sockets = new Set<string>();
  const pids = (await readdir("/proc").catch(() => [] as string[])).filter((name) => /^\d+$/.test(name));
  await Promise.all(
    pids.map(async (pid) => {
      const stat = await readFile(`/proc/${pid}/stat`, "utf8").catch(() => "");
      // pid (comm) state ppid pgrp ...: comm may hold spaces and parentheses, so count from the last ")".
      const pgrp = Number(stat.slice(stat.lastIndexOf(")") + 2).split(" ")[2]);
      if (pgrp !== group) return;
      const fds = await readdir(`/proc/${pid}/fd`).catch(() => [] as string[]);
      for (const fd of fds) {
        const link = await readlink(`/proc/${pid}/fd/${fd}`).catch(() => "");
        const match = /^socket:\[(\d+)\]$/.exec(link);
        if (match) sockets.add(match[1]!);
      }
    }),
  );
  return sockets;
}
