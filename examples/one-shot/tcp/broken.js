// @ts-check
// Broken one-shot TCP servers, each failing one rule, to show that the checks catch them:
// `node broken.js <name>` serves on HOST and PORT from the environment, as `sockspec check --spawn` gives them.
import net from "node:net";
import { pathToFileURL } from "node:url";
import { upperAscii } from "../sentences.js";
import { createOneShotTcpServer } from "./server.js";

const limits = { maxSentenceBytes: 1024 };

/** Each broken server: what is wrong with it, the rules that catch it, and how it is made. */
export const brokenServers = [
  {
    name: "title-case",
    why: "upper-cases only the first letter",
    fails: ["ONETCP-REPLY-UPPER"],
    create: () => createOneShotTcpServer(limits, (sentence) => sentence.replace(/[a-z]/, (letter) => letter.toUpperCase())),
  },
  {
    name: "keeps-open",
    why: "answers but never closes the connection",
    fails: ["ONETCP-CLOSE"],
    create: () => net.createServer((socket) => socket.once("data", (bytes) => socket.write(upperAscii(bytes.toString("latin1")), "latin1"))),
  },
  {
    name: "one-client",
    why: "closes its listening socket after the first client, as a server without the accept loop",
    fails: ["ONETCP-NEXT-CLIENT"],
    create: () => {
      const server = createOneShotTcpServer(limits, upperAscii);
      server.once("connection", () => server.close());
      return server;
    },
  },
];

if (import.meta.url === pathToFileURL(process.argv[1] ?? "").href) {
  const broken = brokenServers.find((b) => b.name === process.argv[2]);
  if (!broken) throw new Error(`usage: node broken.js <${brokenServers.map((b) => b.name).join("|")}>`);
  broken.create().listen(Number(process.env.PORT), process.env.HOST ?? "127.0.0.1");
}
