import dgram from "node:dgram";
import { readFile } from "node:fs/promises";
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
 * Whether a server is bound to the port (TCP: listening), read from /proc/net rather than by sending it
 * anything: to the original capitalizer a client that connects and closes costs a sentence, and the
 * original bank sends every challenge to the first address that ever wrote to it. Returns undefined
 * where /proc is not available (not Linux).
 */
export async function isBound(transport: Transport, port: number): Promise<boolean | undefined> {
  const files = transport === "tcp" ? ["/proc/net/tcp", "/proc/net/tcp6"] : ["/proc/net/udp", "/proc/net/udp6"];
  const tables = await Promise.all(files.map((file) => readFile(file, "utf8").catch(() => undefined)));
  if (tables.every((t) => t === undefined)) return undefined;
  const portHex = port.toString(16).toUpperCase().padStart(4, "0");
  const LISTEN = "0A";
  return tables.some((table) =>
    (table ?? "")
      .split("\n")
      .slice(1)
      .some((line) => {
        const [, local, , state] = line.trim().split(/\s+/);
        return local?.endsWith(`:${portHex}`) === true && (transport === "udp" || state === LISTEN);
      }),
  );
}
