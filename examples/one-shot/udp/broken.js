// @ts-check
// Broken one-shot UDP servers, each failing one rule, to show that the checks catch them:
// `node broken.js <name>` serves on HOST and PORT from the environment, as `sockspec check --spawn` gives them.
import dgram from "node:dgram";
import { pathToFileURL } from "node:url";
import { upperAscii } from "../sentences.js";
import { createOneShotUdpServer } from "./server.js";

const host = process.env.HOST ?? "127.0.0.1";

/** Each broken server: what is wrong with it, the rules that catch it, and how it is made. */
export const brokenServers = [
  {
    name: "drops-digits",
    why: "leaves out the digits of the sentence",
    fails: ["ONEUDP-REPLY-UPPER"],
    create: () => createOneShotUdpServer(host, (sentence) => upperAscii(sentence).replace(/[0-9]/g, "")),
  },
  {
    name: "echoes-twice",
    why: "sends the reply twice",
    fails: ["ONEUDP-ONE-REPLY"],
    create: () => {
      const socket = dgram.createSocket("udp4");
      socket.on("message", (datagram, sender) => {
        for (let i = 0; i < 2; i++) socket.send(upperAscii(datagram.toString("latin1")), sender.port, sender.address);
      });
      return socket;
    },
  },
  {
    name: "first-sender",
    why: "answers every sentence to the first client it heard from, as the original bank sends its challenges",
    fails: ["ONEUDP-EACH-SENDER"],
    create: () => {
      const socket = dgram.createSocket("udp4");
      /** @type {dgram.RemoteInfo | undefined} */
      let first;
      socket.on("message", (datagram, sender) => {
        first ??= sender;
        socket.send(upperAscii(datagram.toString("latin1")), first.port, first.address);
      });
      return socket;
    },
  },
];

if (import.meta.url === pathToFileURL(process.argv[1] ?? "").href) {
  const broken = brokenServers.find((b) => b.name === process.argv[2]);
  if (!broken) throw new Error(`usage: node broken.js <${brokenServers.map((b) => b.name).join("|")}>`);
  broken.create().bind(Number(process.env.PORT), host);
}
