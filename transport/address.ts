/** A host and port as one address: `127.0.0.1:65434`, `[::1]:65434`. */
export function hostPort(host: string, port: number): string {
  return `${host.includes(":") ? `[${host}]` : host}:${port}`;
}
