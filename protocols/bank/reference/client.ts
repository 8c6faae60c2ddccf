import readline from "node:readline";
import { AMOUNT, balanceRequest, bank, credentials, operationRequest, type BankSpec, type Operation } from "../spec/index.js";
import { decodeUtf8, UdpClient } from "../../../kit/serve.js";

export interface BankClientOptions {
  host: string;
  port: number;
  input: NodeJS.ReadableStream;
  output: NodeJS.WritableStream;
  /** How long to wait for a reply before telling the user it may be lost (clientReplyTimeoutMs by default). */
  replyTimeoutMs?: number;
  spec?: BankSpec;
}

const menu = ["\t(1) Check Balance", "\t(2) Withdraw", "\t(3) Deposit"].join("\n");
const operations: Record<string, Operation> = { "2": "withdraw", "3": "deposit" };

/**
 * The interactive bank client, like the original udpclient.py: a menu (1 balance, 2 withdraw, 3 deposit),
 * the amount, and on a challenge the username and PIN. Unlike the original it checks what it sends and
 * never waits for ever: a reply that does not come in time is reported and the menu comes back (UDP may
 * lose it, and whether a deposit was applied is then unknown). The end of input ends the session; resolves
 * with the process exit code (1 when interrupted, as the original).
 */
export async function runBankClient(options: BankClientOptions): Promise<number> {
  const spec = options.spec ?? bank;
  const replyTimeoutMs = options.replyTimeoutMs ?? spec.limits.clientReplyTimeoutMs;
  const say = (line: string) => options.output.write(`${line}\n`);
  const socket = await UdpClient.open(options.host, options.port, "client");
  const rl = readline.createInterface({ input: options.input, terminal: false });
  const lines = rl[Symbol.asyncIterator]();
  let interrupted = false;
  const interrupt = () => {
    interrupted = true;
    say("Interrupted");
    rl.close();
  };
  process.once("SIGINT", interrupt);
  /** The next line typed after the question, or undefined at the end of input. */
  const ask = async (question: string): Promise<string | undefined> => {
    say(`\n\t${question}`);
    const next = await lines.next();
    return next.done ? undefined : next.value.trim();
  };
  /** Sends a datagram and prints the answer; returns it, or undefined when none came in time. */
  const exchange = async (datagram: string): Promise<string | undefined> => {
    const late = socket.drain().length;
    if (late > 0) say(`\n(${late} late answer(s) to an earlier request ignored)`);
    socket.send(datagram);
    const answer = await socket.read(replyTimeoutMs);
    if (answer.kind !== "message") {
      say(`\nNo answer within ${replyTimeoutMs} ms: the server may be down or the datagram lost. Check the balance before repeating a deposit or withdrawal.`);
      return undefined;
    }
    const text = decodeUtf8(answer.bytes) ?? `(not UTF-8: ${answer.bytes.toString("base64")})`;
    say(`\nFrom Server: ${text}`);
    return text;
  };
  try {
    for (;;) {
      say(`\n${menu}`);
      const choice = await ask("Input command by sending a number...");
      if (choice === undefined) return interrupted ? 1 : 0;
      if (choice === "1") {
        await exchange(balanceRequest);
        continue;
      }
      const operation = operations[choice];
      if (!operation) {
        say("\nIllegal Command. Send 1, 2 or 3.");
        continue;
      }
      const amount = await ask(`How much do you want to ${operation}?`);
      if (amount === undefined) return interrupted ? 1 : 0;
      if (!AMOUNT.test(amount)) {
        say("\nAn amount is whole dollars in digits 0-9; nothing was sent.");
        continue;
      }
      const request = operationRequest(operation, amount);
      if (Buffer.byteLength(request) > spec.limits.maxDatagramBytes) {
        say(`\nA request is at most ${spec.limits.maxDatagramBytes} bytes; nothing was sent.`);
        continue;
      }
      if ((await exchange(request)) !== spec.wireTexts.challenge) continue;
      const username = await ask("Please give the username.");
      const pin = username === undefined ? undefined : await ask("Please give the pin number.");
      // Leaving now would leave the challenge pending, and the next request from this address taken as its answer.
      await exchange(credentials(username ?? "", pin ?? ""));
      if (pin === undefined) return interrupted ? 1 : 0;
    }
  } finally {
    process.off("SIGINT", interrupt);
    rl.close();
    socket.close();
  }
}
