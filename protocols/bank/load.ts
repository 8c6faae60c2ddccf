import { balanceRequest, bank, credentials, operationRequest, parseApplied, parseBalance } from "./spec/index.js";
import { decodeUtf8, type Exchange, type LoadClient, UdpClient, type Workload } from "../../kit/serve.js";

export type BankWorkload = "balance" | "deposit";
export const bankWorkloads: readonly BankWorkload[] = ["balance", "deposit"];

export interface BankLoadOptions {
  host: string;
  port: number;
  timeoutMs: number;
  username?: string;
  pin?: string;
}

/**
 * Sockets a client keeps after their request timed out, to count the late answers that come to them: an
 * answer later than that many timeouts is not counted, but it is never matched to a request either.
 */
const RETIRED_SOCKETS = 4;

type Asked = { kind: "answer"; text: string } | { kind: "timeout" } | { kind: "wrong"; expected: string; actual: string };

const shown = (datagram: Buffer) => decodeUtf8(datagram) ?? `(not UTF-8: ${datagram.length} bytes)`;

/**
 * One client's UDP socket. The bank's datagrams carry no request number, so an answer is matched to a
 * request only by coming on its socket while it is the one asked. A request that times out takes its
 * socket with it (a fresh one asks next), so its late answer can never pass for a later request's, and is
 * counted as late. A datagram that comes while nothing is asked, or beside an answer, is wrong, and the
 * socket is replaced too: the surplus a server has queued then never passes for later answers either.
 */
class BankSocket {
  private retired: UdpClient[] = [];
  private lateCount = 0;

  private constructor(
    private socket: UdpClient,
    private readonly open: () => Promise<UdpClient>,
  ) {}

  static async open(host: string, port: number, label: string): Promise<BankSocket> {
    const open = () => UdpClient.open(host, port, label);
    return new BankSocket(await open(), open);
  }

  /** Asks once and waits for one answer. */
  async ask(datagram: string, timeoutMs: number): Promise<Asked> {
    this.countLate();
    const unasked = this.socket.drain();
    if (unasked.length > 0) return this.surplus("no datagram before a request", `${unasked.length} unasked, the first: ${shown(unasked[0]!)}`);
    this.socket.send(datagram);
    const answer = await this.socket.read(timeoutMs);
    if (answer.kind !== "message") {
      await this.retire();
      return { kind: "timeout" };
    }
    const text = shown(answer.bytes);
    // Datagrams that came with the answer are let in before it is judged: a server that answers twice is wrong.
    const more = await this.socket.takeUnread();
    if (more.length > 0) return this.surplus("one answer to a request", `${more.length + 1} answers, the first: ${text}`);
    return { kind: "answer", text };
  }

  /** Answers that came to sockets after their request timed out, so far. */
  late(): number {
    this.countLate();
    return this.lateCount;
  }

  close(): void {
    for (const socket of [this.socket, ...this.retired]) socket.close();
  }

  private async surplus(expected: string, actual: string): Promise<Asked> {
    this.socket.close();
    this.socket = await this.open();
    return { kind: "wrong", expected, actual };
  }

  private countLate(): void {
    for (const socket of this.retired) this.lateCount += socket.drain().length;
  }

  /** Keeps the socket of a request that timed out, to count its late answer, and asks from a fresh one. */
  private async retire(): Promise<void> {
    this.retired.push(this.socket);
    this.socket = await this.open();
    while (this.retired.length > RETIRED_SOCKETS) {
      const oldest = this.retired.shift()!;
      this.lateCount += oldest.drain().length;
      oldest.close();
    }
  }
}

const wrong = (expected: string, actual: string): Exchange => ({ kind: "wrong", expected, actual });

/**
 * Balance requests, or authenticated deposits of 1 (request, challenge, credentials, acknowledgement: one
 * exchange), each client from its own UDP socket. Deposits are verified over the whole run: the balance
 * must have moved by the acknowledged deposits (plus at most those whose answer timed out or was wrong).
 */
export function bankWorkload(kind: BankWorkload, options: BankLoadOptions): Workload {
  const { host, port, timeoutMs } = options;
  const right = credentials(options.username ?? bank.defaults.username, options.pin ?? bank.defaults.pin);
  const request = operationRequest("deposit", "1");
  const balanceOf = async (socket: BankSocket): Promise<bigint | undefined> => {
    const answer = await socket.ask(balanceRequest, timeoutMs);
    return answer.kind === "answer" ? parseBalance(answer.text) : undefined;
  };
  let before: bigint | undefined;

  const exchanges: Record<BankWorkload, (socket: BankSocket) => Promise<Exchange>> = {
    async balance(socket) {
      const answer = await socket.ask(balanceRequest, timeoutMs);
      if (answer.kind !== "answer") return answer;
      return parseBalance(answer.text) !== undefined ? { kind: "ok" } : wrong("a balance reply", answer.text);
    },
    async deposit(socket) {
      const challenge = await socket.ask(request, timeoutMs);
      if (challenge.kind !== "answer") return challenge;
      if (challenge.text !== bank.wireTexts.challenge) return wrong(bank.wireTexts.challenge, challenge.text);
      const answer = await socket.ask(right, timeoutMs);
      if (answer.kind !== "answer") return answer;
      const applied = parseApplied(answer.text);
      return applied?.operation === "deposit" && applied.amount === "1" ? { kind: "ok" } : wrong("the deposit of 1 acknowledged", answer.text);
    },
  };

  return {
    protocol: "bank",
    name: kind,
    async open(index): Promise<LoadClient> {
      const socket = await BankSocket.open(host, port, `s${index + 1}`);
      // From the first client's own socket: the original bank sends every challenge to the first address it hears.
      if (index === 0 && kind === "deposit") before = await balanceOf(socket);
      return { exchange: () => exchanges[kind](socket), late: () => socket.late(), close: () => socket.close() };
    },
    async verify({ ok, errors, timeouts }) {
      if (kind !== "deposit") return undefined;
      const socket = await BankSocket.open(host, port, "verify");
      const after = await balanceOf(socket).finally(() => socket.close());
      if (before === undefined || after === undefined) return "the balance could not be read before and after the run";
      const moved = after - before;
      if (moved >= BigInt(ok) && moved <= BigInt(ok + errors + timeouts)) return undefined;
      const unknown = [timeouts ? `${timeouts} timed out` : "", errors ? `${errors} were answered wrong` : ""].filter(Boolean).join(" and ");
      return `the balance moved by ${moved} (${before} to ${after}), but ${ok} deposits of 1 were acknowledged${unknown ? ` and ${unknown}` : ""}`;
    },
  };
}
