// @ts-check
// The reference one-shot TCP client: reads one line, sends it in one write, and shows the reply, read until
// the server closes the connection. `node client.js` with HOST and PORT in its environment.
import net from "node:net";
import readline from "node:readline";

const host = process.env.HOST ?? "127.0.0.1";
const port = Number(process.env.PORT ?? 12000);
/** How long the server may take to answer and close, after which the client gives up and says so. */
const REPLY_TIMEOUT_MS = 5000;

const input = readline.createInterface({ input: process.stdin });
const [sentence] = await input[Symbol.asyncIterator]()
  .next()
  .then((next) => (next.done ? [undefined] : [next.value]));
input.close();
if (sentence === undefined) process.exit(0);

const socket = net.connect(port, host);
/** @type {Buffer[]} */
const chunks = [];
socket.setTimeout(REPLY_TIMEOUT_MS, () => {
  process.stderr.write(`no reply within ${REPLY_TIMEOUT_MS} ms\n`);
  socket.destroy();
  process.exitCode = 1;
});
socket.on("connect", () => socket.write(sentence));
socket.on("data", (chunk) => chunks.push(chunk));
socket.on("error", (error) => {
  process.stderr.write(`the connection failed: ${error.message}\n`);
  process.exitCode = 1;
});
socket.on("end", () => process.stdout.write(`From Server: ${Buffer.concat(chunks).toString("latin1")}\n`));
