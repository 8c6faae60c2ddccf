import type dgram from "node:dgram";

/** Binds and resolves with the bound port, or rejects with the bind error (EADDRINUSE and the like). */
export function bind(socket: dgram.Socket, host: string, port: number): Promise<number> {
  return new Promise((resolve, reject) => {
    socket.once("error", reject);
    socket.bind(port, host, () => {
      socket.off("error", reject);
      resolve(socket.address().port);
    });
  });
}

/** Closes the socket; one that is closed already (a server that stopped itself) is left as it is. */
export function closeSocket(socket: dgram.Socket): Promise<void> {
  return new Promise((resolve) => {
    try {
      socket.close(() => resolve());
    } catch {
      resolve();
    }
  });
}
