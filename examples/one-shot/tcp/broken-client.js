// @ts-check
// The reference client with one defect, named by its first argument: `node broken-client.js newline-sent`
// sends the line's end with the sentence, which ONETCPC-SEND-EXACT catches. The textbook's TCPClient.py
// is the other broken client (index.js): its one recv(1024) trips ONETCPC-SHOW-REPLY.
import net from "node:net";
import readline from "node:readline";

const defect = process.argv[2];
const input = readline.createInterface({ input: process.stdin });
const next = await input[Symbol.asyncIterator]().next();
input.close();
if (next.done) process.exit(0);
const sentence = defect === "newline-sent" ? `${next.value}\n` : next.value;

const socket = net.connect(Number(process.env.PORT ?? 12000), process.env.HOST ?? "127.0.0.1");
/** @type {Buffer[]} */
const chunks = [];
socket.setTimeout(5000, () => socket.destroy());
socket.on("connect", () => socket.write(sentence));
socket.on("data", (chunk) => chunks.push(chunk));
socket.on("error", () => (process.exitCode = 1));
socket.on("end", () => process.stdout.write(`From Server: ${Buffer.concat(chunks).toString("latin1")}\n`));
