/** A host and port as one address: `127.0.0.1:65434`, `[::1]:65434`. */
export function hostPort(host: string, port: number): string {
  return `${host.includes(":") ? `[${host}]` : host}:${port}`;
}

/** The server an http:// or https:// URL names: an IPv6 host without its brackets, the scheme's port by default. */
export function serverOf(url: URL): { host: string; port: number; secure: boolean } {
  const secure = url.protocol === "https:";
  return { host: url.hostname.replace(/^\[(.*)\]$/, "$1"), port: Number(url.port || (secure ? 443 : 80)), secure };
}
