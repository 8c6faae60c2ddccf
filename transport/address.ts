/** A host and port as one address: `127.0.0.1:65434`, `[::1]:65434`. */
export function hostPort(host: string, port: number): string {
  return `${host.includes(":") ? `[${host}]` : host}:${port}`;
}

/** The server an http:// or https:// URL names: an IPv6 host without its brackets, the scheme's port by default. */
export function serverOf(url: URL): { host: string; port: number; secure: boolean } {
  const secure = url.protocol === "https:";
  return { host: url.hostname.replace(/^\[(.*)\]$/, "$1"), port: Number(url.port || (secure ? 443 : 80)), secure };
}

/**
 * The n-th loopback address of the server's family (0: 127.0.0.1, 1: 127.0.0.2, ...), for clients from
 * several IP addresses on one machine; undefined for IPv6, which has one loopback address only.
 */
export function loopbackAddress(serverHost: string, n: number): string | undefined {
  if (serverHost.includes(":")) return n === 0 ? "::1" : undefined;
  return n < 254 ? `127.0.0.${n + 1}` : undefined;
}
