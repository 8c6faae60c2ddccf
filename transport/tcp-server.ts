import net from "node:net";

const openSockets = new WeakMap<net.Server, Set<net.Socket>>();

/** Listens and resolves with the bound port, or rejects with the listen error (EADDRINUSE and the like). */
export function listen(server: net.Server, host: string, port: number): Promise<number> {
  if (!openSockets.has(server)) {
    const sockets = new Set<net.Socket>();
    openSockets.set(server, sockets);
    server.on("connection", (socket) => {
      sockets.add(socket);
      socket.on("close", () => sockets.delete(socket));
    });
  }
  return new Promise((resolve, reject) => {
    server.once("error", reject);
    server.listen(port, host, () => {
      server.off("error", reject);
      resolve((server.address() as net.AddressInfo).port);
    });
  });
}

/** Stops listening and destroys the connections still open, so stopping never waits on a client. */
export function closeServer(server: net.Server): Promise<void> {
  return new Promise((resolve) => {
    server.close(() => resolve());
    for (const socket of openSockets.get(server) ?? []) socket.destroy();
  });
}
