// A bank client with one deliberate defect, named by its first argument, each tripping exactly one client
// rule (test/client-bank-broken.test.ts asserts it); with no argument it has none. Run it as
// `node broken-client.js DEFECT`, HOST and PORT in its environment.
import dgram from "node:dgram";
import readline from "node:readline";
import { balanceRequest, bank, credentials, operationRequest } from "../spec/index.js";
import { BANK_CLIENT_DEFECTS } from "./defects.js";

type Defect = keyof typeof BANK_CLIENT_DEFECTS;

const { challenge, improperFormat, throttled } = bank.wireTexts;
const defect = process.argv[2] as Defect | undefined;
if (defect !== undefined && !(defect in BANK_CLIENT_DEFECTS)) {
  process.stderr.write(`unknown defect ${defect}\n`);
  process.exit(2);
}
const has = (name: Defect) => defect === name;

const server = { address: process.env.HOST ?? "127.0.0.1", port: Number(process.env.PORT) };
const socket = dgram.createSocket("udp4");
const inbox: string[] = [];
let wake = () => {};
socket.on("message", (datagram, remote) => {
  if (!has("sender-unchecked") && (remote.address !== server.address || remote.port !== server.port)) return;
  inbox.push(datagram.toString("utf8"));
  wake();
});

/** The next datagram from the server, or undefined once clientReplyTimeoutMs passed (never, with waits-forever). */
async function reply(): Promise<string | undefined> {
  if (inbox.length === 0) {
    const timer = has("waits-forever") ? undefined : setTimeout(() => wake(), bank.limits.clientReplyTimeoutMs);
    await new Promise<void>((resolve) => (wake = resolve));
    clearTimeout(timer);
  }
  return inbox.shift();
}

function send(text: string): void {
  socket.send(text, server.port, server.address);
}

/** Sends a request and shows its reply; the reply, or undefined when none came in time. */
async function exchange(request: string): Promise<string | undefined> {
  send(request);
  const text = await reply();
  if (text === undefined) {
    console.log("No reply from the server.");
    if (has("resends-operation") && request !== balanceRequest) send(request);
    return undefined;
  }
  if (!(has("notices-hidden") && (text === improperFormat || text === throttled))) console.log(`From Server: ${text}`);
  return text;
}

const lines = readline.createInterface({ input: process.stdin, terminal: false })[Symbol.asyncIterator]();
const ask = async () => {
  const next = await lines.next();
  return next.done ? undefined : next.value;
};
const operations: Record<string, "withdraw" | "deposit"> = { "2": "withdraw", "3": "deposit" };
for (;;) {
  console.log("(1) Check Balance (2) Withdraw (3) Deposit");
  const choice = await ask();
  if (choice === undefined) break;
  const operation = operations[choice];
  const amount = operation === undefined ? undefined : await ask();
  const request = operation === undefined ? balanceRequest : operationRequest(operation, amount ?? "");
  if ((await exchange(has("newline-sent") ? `${request}\n` : request)) !== challenge) continue;
  const [username, pin] = [await ask(), await ask()];
  const answer = credentials(username ?? "", pin ?? "");
  await exchange(has("credentials-unspaced") ? answer.replace(" ", "") : answer);
}
socket.close();
