// A capitalizer client with one deliberate defect, named by its first argument, each tripping exactly one
// client rule (test/client-broken.test.ts asserts it); with no argument it has none. Run it as
// `node broken-client.js DEFECT`, HOST and PORT in its environment.
import net from "node:net";
import readline from "node:readline";
import { capitalizer } from "../spec/index.js";
import { CLIENT_DEFECTS } from "./defects.js";

type Defect = keyof typeof CLIENT_DEFECTS;

const { replySuffix, limitNotice, shutdownRequest } = capitalizer.wireTexts;
const defect = process.argv[2] as Defect | undefined;
if (defect !== undefined && !(defect in CLIENT_DEFECTS)) {
  process.stderr.write(`unknown defect ${defect}\n`);
  process.exit(2);
}
const has = (name: Defect) => defect === name;

const socket = net.connect({ host: process.env.HOST ?? "127.0.0.1", port: Number(process.env.PORT) });
socket.setNoDelay(true);
let pending = Buffer.alloc(0);
let firstPiece: string | undefined;
/** Replies shown, and bytes of replies come, so far. */
let [shown, bytesIn] = [0, 0];
let closed = false;
let lastReply = "";
let wake = () => {};
socket.on("data", (chunk: Buffer) => {
  pending = Buffer.concat([pending, chunk]);
  bytesIn += chunk.length;
  firstPiece ??= chunk.toString("utf8");
  const text = pending.toString("utf8");
  if (text.endsWith(replySuffix) || text === limitNotice) {
    console.log(`From Server: ${has("first-piece-shown") ? firstPiece : text}`);
    [pending, firstPiece, lastReply] = [Buffer.alloc(0), undefined, text];
    shown += 1;
  }
  wake();
});
const onClosed = () => {
  closed = true;
  wake();
};
socket.on("end", onClosed);
socket.on("error", onClosed);

const until = async (holds: () => boolean) => {
  while (!holds()) await new Promise<void>((resolve) => (wake = resolve));
};

function leave(code: number): void {
  socket.end(shutdownRequest, () => process.exit(code));
}

if (!has("interrupt-unhandled")) process.on("SIGINT", () => leave(1));

const lines = readline.createInterface({ input: process.stdin, terminal: false });
for await (const line of lines) {
  const [before, bytesBefore] = [shown, bytesIn];
  socket.write(has("newline-sent") ? `${line}\n` : line);
  // The defect: the first bytes of a reply are taken for the whole of it.
  await until(() => closed || shown > before || (has("first-bytes-enough") && bytesIn > bytesBefore));
  if (lastReply === limitNotice) {
    socket.end();
    process.exit(has("limit-fails") ? 3 : 0);
  }
  if (closed && shown === before) {
    if (has("close-ignored")) continue;
    console.log("The server closed the connection.");
    process.exit(1);
  }
}
if (has("eof-plain-close")) {
  socket.destroy();
  process.exit(0);
}
leave(0);
