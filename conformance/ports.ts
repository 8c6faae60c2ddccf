import dgram from "node:dgram";
import { open, readdir, readFile, readlink } from "node:fs/promises";
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
    if (await bindsOn(transport, host, port)) return port;
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
 * group (or, `namespaced`, of the PID namespace that its leader's child began), read from /proc rather than by sending it anything: to the original capitalizer a client that
 * connects and closes costs a sentence, and the original bank sends every challenge to the first address
 * that ever wrote to it. "another process" means the port was taken by someone else before the server
 * could bind it. Undefined where /proc is not available (not Linux).
 */
export async function listenerOwnedBy(
  transport: Transport,
  port: number,
  group: number,
  held?: Map<string, number>,
  namespaced = false,
): Promise<"ours" | "another process" | "none" | undefined> {
  const inodes = await boundSockets(transport, port);
  if (inodes === undefined) return undefined;
  if (inodes.size === 0) return "none";
  // The server's own process tree (`held`: serverSockets, when the caller has read it) is quick to search.
  // In a PID namespace of its own (`namespaced`) the tree is the whole server: a process that leaves it is
  // adopted by the namespace's first process, whatever its process group. Otherwise the whole group (a
  // process may have left the tree, or bound on a standard stream) is the proof.
  const tree = held ?? (await serverSockets(group));
  if ([...inodes].some((inode) => (namespaced ? tree?.has(inode) : tree?.get(inode) === group))) return "ours";
  if (namespaced) return "another process";
  const owned = await socketsOfGroup(group);
  return [...inodes].some((inode) => owned.has(inode)) ? "ours" : "another process";
}

/** The inodes of the sockets bound to the port (TCP: listening), from /proc/net; undefined without /proc. */
function boundSockets(transport: Transport, port: number): Promise<Set<string> | undefined> {
  return socketsOnPort(transport, port, transport === "tcp" ? "listening" : "any state");
}

/**
 * The inodes of the sockets whose local port is the port, from /proc/net; undefined without /proc. The TCP
 * tables list every socket on the machine, thousands of TIME_WAIT ones on a busy one, and cost milliseconds
 * of kernel time to read whole; Linux lists the listening sockets first, so a search for those stops at
 * the first socket in another state, and a readiness poll reads a page or two.
 */
async function socketsOnPort(transport: Transport, port: number, state: "listening" | "any state"): Promise<Set<string> | undefined> {
  const files = transport === "tcp" ? ["/proc/net/tcp", "/proc/net/tcp6"] : ["/proc/net/udp", "/proc/net/udp6"];
  const portHex = port.toString(16).toUpperCase().padStart(4, "0");
  const LISTEN = "0A";
  const inodes = new Set<string>();
  let readable = false;
  for (const file of files) {
    readable =
      (await eachSocket(file, (fields) => {
        const listening = fields[3] === LISTEN;
        if (state === "listening" && !listening) return "stop";
        if (fields[1]?.endsWith(`:${portHex}`)) inodes.add(fields[9]!);
        return "go on";
      })) || readable;
  }
  return readable ? inodes : undefined;
}

/**
 * Calls `visit` with the fields of each socket line of a /proc/net table until it says stop (fields: sl
 * local_address rem_address st tx_queue:rx_queue tr:tm->when retrnsmt uid timeout inode); false when the
 * table cannot be read.
 */
async function eachSocket(file: string, visit: (fields: string[]) => "go on" | "stop"): Promise<boolean> {
  const handle = await open(file).catch(() => undefined);
  if (!handle) return false;
  try {
    const chunk = Buffer.alloc(64 * 1024);
    let partial = "";
    let header = true;
    for (;;) {
      const { bytesRead } = await handle.read(chunk, 0, chunk.length, null);
      if (bytesRead === 0) return true;
      const lines = (partial + chunk.toString("latin1", 0, bytesRead)).split("\n");
      partial = lines.pop()!;
      for (const line of lines) {
        if (header) header = false;
        else if (visit(line.trim().split(/\s+/)) === "stop") return true;
      }
    }
  } finally {
    await handle.close();
  }
}

/**
 * The sockets that the process a server command started (the leader of its process group), and those it
 * started in turn, hold beyond their standard streams: inode to the process group of its holder. Before
 * there is one the server cannot be listening, and a poll need not read the socket tables, which cost
 * milliseconds of kernel time whatever they hold (the kernel walks its whole connection hash). Undefined
 * when that cannot be told: no /proc, or the leader is gone.
 */
export async function serverSockets(leader: number): Promise<Map<string, number> | undefined> {
  const tree = await processTree(leader);
  if (tree === undefined) return undefined;
  const sockets = new Map<string, number>();
  for (const pid of tree) {
    const own = await socketsOf(pid, FIRST_OWN_FD);
    if (own.size === 0) continue;
    const group = await groupOf(pid);
    for (const inode of own) sockets.set(inode, group);
  }
  return sockets;
}

/** A process and those it started, from /proc's lists of children; undefined when the process is gone. */
export async function processTree(leader: number): Promise<number[] | undefined> {
  const tree = [leader];
  for (let i = 0; i < tree.length; i++) {
    const tasks = await readdir(`/proc/${tree[i]}/task`).catch(() => undefined);
    if (tasks === undefined && i === 0) return undefined;
    for (const task of tasks ?? []) {
      const children = await readFile(`/proc/${tree[i]}/task/${task}/children`, "utf8").catch(() => "");
      tree.push(...children.split(" ").filter(Boolean).map(Number));
    }
  }
  return tree;
}

/** File descriptors 0-2 are the standard streams, which a spawned process gets as sockets from Node. */
const FIRST_OWN_FD = 3;

/** The socket inodes held open by the processes of a process group. */
async function socketsOfGroup(group: number): Promise<Set<string>> {
  const sockets = new Set<string>();
  const pids = (await readdir("/proc").catch(() => [] as string[])).filter((name) => /^\d+$/.test(name));
  await Promise.all(
    pids.map(async (pid) => {
      if ((await groupOf(Number(pid))) === group) for (const inode of await socketsOf(Number(pid))) sockets.add(inode);
    }),
  );
  return sockets;
}

/** The process group of a process; NaN when it is gone. */
async function groupOf(pid: number): Promise<number> {
  const stat = await readFile(`/proc/${pid}/stat`, "utf8").catch(() => "");
  // pid (comm) state ppid pgrp ...: comm may hold spaces and parentheses, so count from the last ")".
  return Number(stat.slice(stat.lastIndexOf(")") + 2).split(" ")[2]);
}

/** The socket inodes a process holds open on file descriptors from `lowestFd` up. */
async function socketsOf(pid: number, lowestFd = 0): Promise<Set<string>> {
  const sockets = new Set<string>();
  const fds = (await readdir(`/proc/${pid}/fd`).catch(() => [] as string[])).filter((fd) => Number(fd) >= lowestFd);
  for (const fd of fds) {
    const link = await readlink(`/proc/${pid}/fd/${fd}`).catch(() => "");
    const match = /^socket:\[(\d+)\]$/.exec(link);
    if (match) sockets.add(match[1]!);
  }
  return sockets;
}
