import {
  checkRecorder,
  Conversation,
  count,
  decodeUtf8,
  defineChecks,
  NotCheckableError,
  type Observed,
  type ReadResult,
  type RuleState,
  type ServerHandle,
  type Timeouts,
  TooSlowToJudgeError,
  UdpClient,
} from "../../../kit/index.js";
import { appliedReply, balanceReply, balanceRequest, bank, credentials, deniedReply, operationRequest, parseBalance, type Operation } from "../spec/index.js";
import type { BankRuleId } from "../spec/rule-ids.js";

const { username, pin } = bank.defaults;
export const rightCredentials = credentials(username, pin);

/**
 * One property run's conversation with one bank server: its client sockets (s1, s2, ...), the transcript,
 * and the protocol's expectations, each failing with a Violation that carries the transcript.
 */
export class BankSession extends Conversation {
  private readonly sockets: UdpClient[] = [];
  /** Sockets whose last request was sent more than once: two answers to it may come. */
  private readonly resent = new Set<UdpClient>();
  /** Sockets whose last request was answered and read: nothing more may come on them. */
  private readonly answered = new Set<UdpClient>();
  /** Sockets with a challenge pending: when the request that got it was sent. */
  private readonly challenged = new Map<UdpClient, number>();
  /** A challenge this session answered later than the server need wait for it, if any: no failure can rest on it. */
  private late: string | undefined;

  /** The server's challenge timeout: a challenge answered later may have been dropped, as it may. */
  private readonly challengeTimeoutMs: number;

  constructor(
    private readonly server: ServerHandle,
    /** The run's timeouts, and the limits the server runs with. */
    ctx: { timeouts: Timeouts; spec?: { limits: Readonly<Record<string, number>> } },
    /** Where the datagrams sent again are counted, for the report. */
    private readonly ruleState?: RuleState,
    /** Where the transcript goes; sessions with successive servers (a restart) may share one. */
    recorder = checkRecorder(bank.protocol),
  ) {
    super(ctx.timeouts, recorder);
    this.challengeTimeoutMs = ctx.spec?.limits.challengeTimeoutMs ?? bank.limits.challengeTimeoutMs;
  }

  /** A new client socket, labelled s1, s2, ... unless given a label; from another IP address when `from` names one. */
  async socket(label = `s${this.sockets.length + 1}`, from?: string): Promise<UdpClient> {
    const socket = await UdpClient.open(this.server.host, this.server.port, label, this.recorder, from).catch((error: NodeJS.ErrnoException) => {
      if (from !== undefined && error.code === "EADDRNOTAVAIL") throw new NotCheckableError(`this machine has no loopback address ${from} to send from`);
      throw error;
    });
    this.sockets.push(socket);
    return socket;
  }

  /**
   * Sends a datagram and reads the answer, sending it again after silence as often as udpRetries allows. A
   * datagram already waiting unread is an extra answer to an earlier request, which a correct server never
   * sends (unless that request was sent twice): it fails the run, named as such.
   */
  async request(socket: UdpClient, datagram: string | Uint8Array): Promise<ReadResult> {
    await this.expectNothingUnasked(socket);
    this.resent.delete(socket);
    const sentAt = performance.now();
    for (let attempt = 0; ; attempt++) {
      this.send(socket, datagram);
      const answer = await socket.read(this.timeouts.replyMs);
      if (text(answer) === bank.wireTexts.challenge) this.challenged.set(socket, sentAt);
      if (answer.kind === "message") this.answered.add(socket);
      if (answer.kind !== "silence" || attempt >= this.timeouts.udpRetries) return answer;
      this.resent.add(socket); // a late answer to the first send may yet come
      if (this.ruleState) count(this.ruleState, "UDP retries");
    }
  }

  /** Sends a datagram and requires exactly `expected` back. */
  async expect(socket: UdpClient, datagram: string | Uint8Array, expected: string, why = ""): Promise<void> {
    const answer = await this.request(socket, datagram);
    if (text(answer) !== expected) this.fail(`${JSON.stringify(expected)} on ${socket.label}${why}`, answer);
  }

  /** Asks for the balance and returns it. */
  async balance(socket: UdpClient, why = ""): Promise<bigint> {
    const answer = await this.request(socket, balanceRequest);
    const balance = parseBalance(text(answer) ?? "");
    if (balance === undefined) this.fail(`the balance reply on ${socket.label}${why}`, answer);
    return balance;
  }

  /** Requires the balance to be `expected`. */
  async expectBalance(socket: UdpClient, expected: bigint, why = ""): Promise<void> {
    await this.expect(socket, balanceRequest, balanceReply(expected), why);
  }

  /** A deposit or withdrawal of `amount` (its text as sent), answered with `answer`; returns the server's answer to that. */
  async operate(socket: UdpClient, operation: Operation, amount: string, answer: string | Uint8Array): Promise<ReadResult> {
    await this.expect(socket, operationRequest(operation, amount), bank.wireTexts.challenge);
    return this.request(socket, answer);
  }

  /** An operation answered with right credentials (the built-in ones unless given) that must be applied, taking the balance to `balance`. */
  async expectApplied(socket: UdpClient, operation: Operation, amount: string, balance: bigint, why = "", answer: string = rightCredentials): Promise<void> {
    const expected = appliedReply(operation, amount, balance);
    const said = await this.operate(socket, operation, amount, answer);
    if (text(said) !== expected) this.fail(`${JSON.stringify(expected)}${why}`, said);
  }

  /** An operation with wrong credentials that must be denied. */
  async expectDenied(socket: UdpClient, operation: Operation, amount: string, answer: string | Uint8Array, why = ""): Promise<void> {
    const said = await this.operate(socket, operation, amount, answer);
    if (text(said) !== deniedReply(operation)) this.fail(`${JSON.stringify(deniedReply(operation))}${why}`, said);
  }

  /** Sends a datagram without reading an answer (the caller reads it, or kills the server first). */
  send(socket: UdpClient, datagram: string | Uint8Array): void {
    this.noteLateAnswer(socket);
    this.answered.delete(socket);
    socket.send(datagram);
  }

  /** Fails on datagrams that came on a socket after the answer to its last request (unless that was sent twice). */
  private async expectNothingUnasked(socket: UdpClient): Promise<void> {
    const unread = await socket.takeUnread();
    if (unread.length > 0 && !this.resent.has(socket))
      this.fail(`one answer to each request on ${socket.label}`, `${unread.length} more datagram(s) after the answer to its previous request`);
  }

  /** The last requests' answers must not have been followed by more: a server that answers twice shows it here too. */
  async lastLook(): Promise<void> {
    for (const socket of this.answered) await this.expectNothingUnasked(socket);
  }

  /** The check waits out the challenge timeout on purpose: the answer to the pending challenge is meant to be late. */
  letChallengeExpire(socket: UdpClient): void {
    this.challenged.delete(socket);
  }

  /** No failure rests on a challenge answered late: the run is not checkable then. */
  override fail(expected: string, observed: Observed): never {
    if (this.late) throw new TooSlowToJudgeError(`${this.late}; check with a longer challenge timeout (--limit challengeTimeoutMs)`);
    return super.fail(expected, observed);
  }

  /**
   * Whatever a socket sends next answers its pending challenge. Counted from when the request that got the
   * challenge was sent, the wait is never shorter than the server's own count until the answer leaves; but
   * the server counts on until it reads the answer, which a loaded machine can delay unseen from here. So
   * an answer sent past half the timeout counts as late: the other half is left for its delivery.
   */
  private noteLateAnswer(socket: UdpClient): void {
    const since = this.challenged.get(socket);
    this.challenged.delete(socket);
    const waited = since === undefined ? 0 : performance.now() - since;
    if (waited >= this.challengeTimeoutMs / 2)
      this.late ??= `${socket.label} answered its challenge ${Math.round(waited)} ms after asking, too close to the ${this.challengeTimeoutMs} ms challenge timeout for the answer to be sure to arrive in time, so the server may have dropped it`;
  }

  closeAll(): void {
    for (const socket of this.sockets) socket.close();
  }
}

/** A bank check: each run talks to its servers through a new BankSession. */
export const check = defineChecks<BankRuleId, BankSession>((server, ctx, ruleState) => new BankSession(server, ctx, ruleState));

/** The answer as text when it is a UTF-8 datagram. */
export function text(result: ReadResult): string | undefined {
  return result.kind === "message" ? decodeUtf8(result.bytes) : undefined;
}
