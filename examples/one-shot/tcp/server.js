// @ts-check
import net from "node:net";

/**
 * The reference server, as the textbook's TCPServer.py: each connection's first read is answered
 * upper-cased, then the connection is closed. Unlike the textbook it serves clients side by side.
 * @param {{ maxSentenceBytes: number }} limits
 * @param {(sentence: string) => string} answer how a sentence is answered (the broken servers change it)
 */
export function createOneShotTcpServer(limits, answer) {
  return net.createServer((socket) => {
    socket.on("error", () => {}); // a client that resets is no concern of the others
    socket.setTimeout(10_000, () => socket.destroy()); // a client that never sends is let go
    socket.once("data", (bytes) => {
      socket.end(answer(bytes.subarray(0, limits.maxSentenceBytes).toString("latin1")), "latin1");
    });
  });
}
