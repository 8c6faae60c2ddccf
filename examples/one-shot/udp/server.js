// @ts-check
import dgram from "node:dgram";

/**
 * The reference server, as the textbook's UDPServer.py: each datagram is answered upper-cased, in one
 * datagram to its sender.
 * @param {string} host the address it will be bound to (an IPv6 one needs a udp6 socket)
 * @param {(sentence: string) => string} answer how a sentence is answered (the broken servers change it)
 */
export function createOneShotUdpServer(host, answer) {
  const socket = dgram.createSocket(host.includes(":") ? "udp6" : "udp4");
  socket.on("error", () => {}); // an unreachable client is no concern of the others
  socket.on("message", (datagram, sender) => socket.send(answer(datagram.toString("latin1")), sender.port, sender.address));
  return socket;
}
