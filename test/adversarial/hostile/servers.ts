import dgram from "node:dgram";
import http from "node:http";
import net from "node:net";

/**
 * Servers that attack the runner rather than serve: each is what a broken or hostile server under test
 * may do. The runner must finish, in bounded memory, and write a report, whatever they do.
 */
export type HostileKind = keyof typeof hostile;

const MiB = 2 ** 20;

/** A TCP server whose every connection gets `handle`. */
const tcp = (handle: (socket: net.Socket) => void) => () => {
  const server = net.createServer((socket) => {
    socket.on("error", () => {});
    handle(socket);
  });
  return { listen: (port: number, host: string) => new Promise<void>((resolve) => server.listen(port, host, resolve)) };
};

/** Writes `total` bytes of `fill` as fast as the connection takes them (or for ever), then nothing more. */
function stream(socket: net.Socket, total = Infinity, fill = "A"): void {
  const chunk = Buffer.alloc(64 * 1024, fill);
  let sent = 0;
  const more = () => {
    while (sent < total && !socket.destroyed) {
      sent += chunk.length;
      if (!socket.write(chunk)) return void socket.once("drain", more);
    }
  };
  more();
}

/** An HTTP server whose every request gets `handle`. */
const web = (handle: (request: http.IncomingMessage, response: http.ServerResponse) => void) => () => {
  const server = http.createServer((request, response) => {
    response.on("error", () => {});
    handle(request, response);
  });
  return { listen: (port: number, host: string) => new Promise<void>((resolve) => server.listen(port, host, resolve)) };
};

export const hostile = {
  /** Accepts and never says anything. */
  "tcp-silent": tcp(() => {}),
  /** Answers the first bytes with an endless stream. */
  "tcp-endless": tcp((socket) => socket.once("data", () => stream(socket))),
  /** Answers each sentence with 50 MiB. */
  "tcp-50mb": tcp((socket) => socket.on("data", () => stream(socket, 50 * MiB))),
  /** Answers one byte a second, for ever. */
  "tcp-trickle": tcp((socket) => {
    const timer = setInterval(() => socket.write("A"), 1000);
    socket.on("close", () => clearInterval(timer));
  }),
  /** Resets every connection at once. */
  "tcp-reset": tcp((socket) => socket.resetAndDestroy()),
  /** Closes every connection at once. */
  "tcp-close": tcp((socket) => socket.end()),
  /** Answers every datagram twice. */
  "udp-twice": () => {
    const socket = dgram.createSocket("udp4");
    socket.on("message", (_datagram, remote) => {
      for (let i = 0; i < 2; i++) socket.send("0 dollar(s) are in your balance.", remote.port, remote.address);
    });
    return { listen: (port: number, host: string) => new Promise<void>((resolve) => socket.bind(port, host, () => resolve())) };
  },
  /** Answers every datagram with a flood of 1,000. */
  "udp-flood": () => {
    const socket = dgram.createSocket("udp4");
    socket.on("message", (_datagram, remote) => {
      for (let i = 0; i < 1000; i++) socket.send(Buffer.alloc(1024, "x"), remote.port, remote.address);
    });
    return { listen: (port: number, host: string) => new Promise<void>((resolve) => socket.bind(port, host, () => resolve())) };
  },
  /** An endless chunked body. */
  "http-endless-chunked": web((_request, response) => {
    response.writeHead(200, { "content-type": "text/plain" });
    const chunk = Buffer.alloc(64 * 1024, "A");
    const more = () => {
      while (!response.destroyed && response.write(chunk));
      if (!response.destroyed) response.once("drain", more);
    };
    more();
  }),
  /** A 500 MiB body, announced in Content-Length. */
  "http-500mb": web((_request, response) => {
    response.writeHead(200, { "content-type": "text/plain", "content-length": String(500 * MiB) });
    const chunk = Buffer.alloc(64 * 1024, "A");
    let sent = 0;
    const more = () => {
      while (!response.destroyed && sent < 500 * MiB) {
        sent += chunk.length;
        if (!response.write(chunk)) return void response.once("drain", more);
      }
      response.end();
    };
    more();
  }),
  /** 1 MiB of headers. */
  "http-huge-headers": tcp((socket) =>
    socket.once("data", () => {
      socket.write("HTTP/1.1 200 OK\r\n");
      for (let i = 0; i < 1024; i++) socket.write(`x-filler-${i}: ${"A".repeat(1000)}\r\n`);
      socket.end("content-length: 0\r\n\r\n");
    }),
  ),
  /** 100 Continue, for ever. */
  "http-1xx-storm": tcp((socket) =>
    socket.once("data", () => {
      const timer = setInterval(() => socket.write("HTTP/1.1 100 Continue\r\n\r\n".repeat(100)), 10);
      socket.on("close", () => clearInterval(timer));
    }),
  ),
  /** Redirects every request to itself. */
  "http-redirect-loop": web((request, response) => {
    response.writeHead(301, { location: request.url });
    response.end();
  }),
};
