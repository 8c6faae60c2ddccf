import dgram from "node:dgram";
import { readdir, readFile, readlink } from "node:fs/promises";
import net from "node:net";
import { closeServer, listen } from "../transport/tcp-server.js";
import { bind, closeSocket } from "../transport/udp-server.js";

export type Transport = "tcp" | "udp";

/** A port that is free on the host now (the OS picks it), for a server the runner is about to start. */
export async function freePort(transport: Transport, host: string): Promise<number> {
  if (transport === "udp") {
    const socket = dgram.createSocket(host.includes(":") ? "udp6" : "udp4");
    const port = await bind(socket, host, 0);
    await closeSocket(socket);
    return port;
  }
  const probe = net.createServer();
  const port = await listen(probe, host, 0);
  await closeServer(probe);
  return port;
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
async function boundSockets(transport: Transport, port: number): Promise<Set<string> | undefined> {
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
      if (fields[1]?.endsWith(`:${portHex}`) && (transport === "udp" || fields[3] === LISTEN)) inodes.add(fields[9]!);
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
