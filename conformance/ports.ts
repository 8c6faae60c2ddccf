import dgram from "node:dgram";
import { readFile } from "node:fs/promises";
import net from "node:net";

export type Transport = "tcp" | "udp";

/** A port that is free on the host now (the OS picks it), for a server the runner is about to start. */
export async function freePort(transport: Transport, host: string): Promise<number> {
  if (transport === "udp") {
    const socket = dgram.createSocket(host.includes(":") ? "udp6" : "udp4");
    await new Promise<void>((resolve, reject) => socket.once("error", reject).bind(0, host, resolve));
    const { port } = socket.address();
    await new Promise<void>((resolve) => socket.close(resolve));
    return port;
  }
  const probe = net.createServer();
  await new Promise<void>((resolve, reject) => probe.once("error", reject).listen(0, host, resolve));
  const { port } = probe.address() as net.AddressInfo;
  await new Promise((resolve) => probe.close(resolve));
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
