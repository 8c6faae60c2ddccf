import { readFile } from "node:fs/promises";

/**
 * Whether something listens on the TCP port, read from /proc/net/tcp{,6} rather than by connecting: a
 * connect would be a client, and to the original capitalizer a client that closes costs a sentence.
 * Returns undefined where /proc is not available (not Linux).
 */
export async function isListeningTcp(port: number): Promise<boolean | undefined> {
  const tables = await Promise.all(["/proc/net/tcp", "/proc/net/tcp6"].map((file) => readFile(file, "utf8").catch(() => undefined)));
  if (tables.every((t) => t === undefined)) return undefined;
  const portHex = port.toString(16).toUpperCase().padStart(4, "0");
  const LISTEN = "0A";
  return tables.some((table) =>
    (table ?? "")
      .split("\n")
      .slice(1)
      .some((line) => {
        const [, local, , state] = line.trim().split(/\s+/);
        return local?.endsWith(`:${portHex}`) && state === LISTEN;
      }),
  );
}
