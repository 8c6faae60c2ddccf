import { balanceRequest, bank, credentials, operationRequest, parseApplied, parseBalance } from "./spec/index.js";
import { UdpClient } from "../../transport/udp-socket.js";
import { decodeUtf8 } from "../../transport/transcript.js";
import type { Exchange, LoadClient, Workload } from "../../load/driver.js";

export type BankWorkload = "balance" | "deposit";
export const bankWorkloads: readonly BankWorkload[] = ["balance", "deposit"];

export interface BankLoadOptions {
  host: string;
  port: number;
  timeoutMs: number;
  username?: string;
  pin?: string;
}

/** Asks once and waits for one answer; answers that come after a timeout are dropped before the next ask. */
async function ask(socket: UdpClient, datagram: string, timeoutMs: number): Promise<string | undefined> {
  socket.drain();
  socket.send(datagram);
  const answer = await socket.read(timeoutMs);
  return answer.kind === "message" ? (decodeUtf8(answer.bytes) ?? `(not UTF-8: ${answer.bytes.length} bytes)`) : undefined;
}

const wrong = (expected: string, actual: string): Exchange => ({ kind: "wrong", expected, actual });

/**
 * Balance requests, or authenticated deposits of 1 (request, challenge, credentials, acknowledgement: one
 * exchange), each client from its own UDP socket. Deposits are verified over the whole run: the balance
 * must have moved by the acknowledged deposits (plus at most those whose answer timed out).
 */
export function bankWorkload(kind: BankWorkload, options: BankLoadOptions): Workload {
  const { host, port, timeoutMs } = options;
  const right = credentials(options.username ?? bank.defaults.username, options.pin ?? bank.defaults.pin);
  const request = operationRequest("deposit", "1");
  const balanceOf = async (socket: UdpClient): Promise<bigint | undefined> => {
    const answer = await ask(socket, balanceRequest, timeoutMs);
    return answer === undefined ? undefined : parseBalance(answer);
  };
  let before: bigint | undefined;

  const exchanges: Record<BankWorkload, (socket: UdpClient) => Promise<Exchange>> = {
    async balance(socket) {
      const answer = await ask(socket, balanceRequest, timeoutMs);
      if (answer === undefined) return { kind: "timeout" };
      return parseBalance(answer) !== undefined ? { kind: "ok" } : wrong("a balance reply", answer);
    },
    async deposit(socket) {
      const challenge = await ask(socket, request, timeoutMs);
      if (challenge === undefined) return { kind: "timeout" };
      if (challenge !== bank.wireTexts.challenge) return wrong(bank.wireTexts.challenge, challenge);
      const answer = await ask(socket, right, timeoutMs);
      if (answer === undefined) return { kind: "timeout" };
      const applied = parseApplied(answer);
      return applied?.operation === "deposit" && applied.amount === "1" ? { kind: "ok" } : wrong("the deposit of 1 acknowledged", answer);
    },
  };

  return {
    protocol: "bank",
    name: kind,
    async open(index): Promise<LoadClient> {
      const socket = await UdpClient.open(host, port, `s${index + 1}`);
      // From the first client's own socket: the original bank sends every challenge to the first address it hears.
      if (index === 0 && kind === "deposit") before = await balanceOf(socket);
      return { exchange: () => exchanges[kind](socket), close: () => socket.close() };
    },
    async verify({ ok, timeouts }) {
      if (kind !== "deposit") return undefined;
      const socket = await UdpClient.open(host, port, "verify");
      const after = await balanceOf(socket).finally(() => socket.close());
      if (before === undefined || after === undefined) return "the balance could not be read before and after the run";
      const moved = after - before;
      if (moved >= BigInt(ok) && moved <= BigInt(ok + timeouts)) return undefined;
      return `the balance moved by ${moved} (${before} to ${after}), but ${ok} deposits of 1 were acknowledged${timeouts ? ` and ${timeouts} timed out` : ""}`;
    },
  };
}
