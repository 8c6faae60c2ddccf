import {
  blameCrash,
  checkRecorder,
  ConnectionRefusedError,
  Conversation,
  decodeUtf8,
  describeRead,
  NotCheckableError,
  type ReadResult,
  defineChecks,
  type ServerHandle,
  TcpConnection,
  type Timeouts,
  TooSlowToJudgeError,
  Violation,
} from "../../../kit/index.js";
import { capitalizer, isWholeAnswer, maxAnswerBytes, type CapitalizerSpec } from "../spec/index.js";
import { acceptedUpperCases } from "../spec/uppercase.js";
import type { CapitalizerRuleId } from "../spec/rule-ids.js";

/** A capitalizer check: each run talks to its servers through a new CapitalizerSession. */
export const check = defineChecks<CapitalizerRuleId, CapitalizerSession>(
  (server, ctx) => new CapitalizerSession(server, ctx.timeouts, ctx.spec.limits.idleTimeoutMs),
);

/** The error `fail` throws. */
function failure(fail: () => never): unknown {
  try {
    return fail();
  } catch (error) {
    return error;
  }
}

/** The answer as text when it is a whole UTF-8 message (not one the kit stopped reading), otherwise undefined. */
export function answerText(result: ReadResult): string | undefined {
  return result.kind === "message" && !result.overflow ? decodeUtf8(result.bytes) : undefined;
}

/**
 * One property run's conversation with one capitalizer server: its connections (c1, c2, ...), the
 * transcript of everything on the wire, and the protocol's expectations, each failing with a Violation
 * that carries the transcript.
 */
export class CapitalizerSession extends Conversation {
  private readonly connections: TcpConnection[] = [];
  readonly spec: CapitalizerSpec = capitalizer;
  /**
   * Whether this run is the one that judges that the server serves connections at once (CAP-CONCURRENT-CLIENTS):
   * elsewhere a connection served only once an earlier one closes makes the run not checkable, naming that rule.
   */
  judgesConcurrency = false;

  constructor(
    private readonly server: ServerHandle,
    timeouts: Timeouts,
    /** The server's idle timeout: a connection left without a sentence that long may be closed, and proves nothing. */
    private readonly idleTimeoutMs = capitalizer.limits.idleTimeoutMs,
  ) {
    super(timeouts, checkRecorder(capitalizer.protocol));
  }

  /**
   * Opens the next connection; a refusal is the server's failure, a connect that never completes its silence.
   * With `ignoreFin`, its client never closes its side (TcpConnection.open).
   */
  async connect(why = "", from?: string, ignoreFin = false): Promise<TcpConnection> {
    const conn = await this.open(from, ignoreFin);
    if (conn instanceof ConnectionRefusedError) {
      const expected = `${conn.label} to be accepted${why}`;
      this.fail(
        expected,
        conn.code === "ETIMEDOUT"
          ? { silent: `the connection was not accepted within ${this.timeouts.replyMs} ms` }
          : `the connection was refused (${conn.code})`,
      );
    }
    return conn;
  }

  /** Opens the next connection, or undefined when the server refuses it. */
  async tryConnect(): Promise<TcpConnection | undefined> {
    const conn = await this.open();
    return conn instanceof ConnectionRefusedError ? undefined : conn;
  }

  private async open(from?: string, ignoreFin = false): Promise<TcpConnection | (ConnectionRefusedError & { label: string })> {
    const label = `c${this.connections.length + 1}`;
    try {
      const conn = await TcpConnection.open(this.server.host, this.server.port, label, this.recorder, this.timeouts.replyMs, from, ignoreFin);
      this.connections.push(conn);
      return conn;
    } catch (error) {
      if (error instanceof ConnectionRefusedError && from !== undefined && error.code === "EADDRNOTAVAIL")
        throw new NotCheckableError(`this machine has no loopback address ${from} to connect from`);
      if (error instanceof ConnectionRefusedError) return Object.assign(error, { label });
      throw error;
    }
  }

  /** Sends a sentence (or any bytes) in one write and reads the answer. */
  async say(conn: TcpConnection, sentence: string | Uint8Array): Promise<ReadResult> {
    conn.send(sentence);
    const result = await this.readAnswer(conn);
    if (result.kind === "closed") this.excuseIdleClose(conn);
    return result;
  }

  /**
   * A connection the server closed after the check left it without a sentence past the idle timeout (a
   * loaded machine, a short limit) was closed as it may be: no failure can rest on that.
   */
  excuseIdleClose(conn: TcpConnection): void {
    if (conn.closedAfterIdle(this.idleTimeoutMs))
      throw new TooSlowToJudgeError(
        `the server closed ${conn.label} after it had been left without a sentence for longer than the ${this.idleTimeoutMs} ms idle timeout, as it may; check with a longer idle timeout (--limit idleTimeoutMs)`,
      );
  }

  /** Reads one answer: a reply (it ends with the reply suffix) or the limit notice. */
  readAnswer(conn: TcpConnection): Promise<ReadResult> {
    return conn.read({
      complete: (bytes) => isWholeAnswer(bytes, this.spec),
      timeoutMs: this.timeouts.replyMs,
      settleMs: this.timeouts.settleMs,
      maxBytes: maxAnswerBytes(this.spec),
    });
  }

  /**
   * Sends a sentence and requires it to be answered: by a reply to it, which begins with the sentence
   * upper-cased or ends with the reply suffix; not by the limit notice, other bytes, a close or silence.
   * Whether the reply is right in both is for the CAP-REPLY-* rules to judge.
   */
  async expectAnswered(conn: TcpConnection, sentence: string, why = ""): Promise<void> {
    const result = await this.say(conn, sentence);
    const text = answerText(result);
    const replied =
      text !== undefined && (text.endsWith(this.spec.wireTexts.replySuffix) || acceptedUpperCases(sentence).some((upper) => text.startsWith(upper)));
    if (!replied || text === this.spec.wireTexts.limitNotice) {
      const unanswered = failure(() => this.fail(`${conn.label}'s sentence ${JSON.stringify(sentence)} to be answered${why}`, result));
      throw result.kind === "silence" ? await this.servedOnlyAlone(conn, unanswered) : unanswered;
    }
  }

  /**
   * A connection left unanswered while connections opened before it are open may be waiting for them to
   * close, as with a server that serves one connection at a time. With the server's exit looked for first
   * (closing them may end such a server), they are closed: when the connection is then answered, the run
   * relies on what CAP-CONCURRENT-CLIENTS judges and is not checkable; otherwise its silence stands.
   */
  private async servedOnlyAlone(conn: TcpConnection, unanswered: unknown): Promise<unknown> {
    const earlier = this.connections.slice(0, this.connections.indexOf(conn)).filter((other) => !other.ended);
    if (this.judgesConcurrency || earlier.length === 0) return unanswered;
    const blamed = await blameCrash(this.server, unanswered);
    if (blamed instanceof Violation && blamed.exit) return blamed;
    for (const other of earlier) other.close();
    const late = answerText(await this.readAnswer(conn));
    if (late === undefined || late === this.spec.wireTexts.limitNotice) return blamed;
    return new NotCheckableError(
      `${conn.label} was answered only once ${earlier.map((other) => other.label).join(" and ")} closed: the server serves one connection at a time, which CAP-CONCURRENT-CLIENTS judges and this check relies on`,
    );
  }

  /** Sends a sentence and requires the limit notice. */
  async expectLimitNotice(conn: TcpConnection, sentence: string, why = ""): Promise<void> {
    const result = await this.say(conn, sentence);
    if (answerText(result) !== this.spec.wireTexts.limitNotice) {
      this.fail(`the limit notice ${JSON.stringify(this.spec.wireTexts.limitNotice)} on ${conn.label}${why}`, result);
    }
  }

  /** Requires the server to close the connection, sending nothing more. */
  async expectClosed(conn: TcpConnection, after: string): Promise<void> {
    const { closed, bytes } = await conn.waitClosed(this.timeouts.replyMs);
    if (bytes.length > 0)
      this.fail(`${conn.label} to be closed with nothing more sent ${after}`, `the server sent ${describeRead({ kind: "message", bytes }, this.timeouts)}`);
    if (!closed) this.fail(`${conn.label} to be closed ${after}`, { silent: `it was still open after ${this.timeouts.replyMs} ms` });
  }

  sendShutdown(conn: TcpConnection): void {
    conn.send(this.spec.wireTexts.shutdownRequest);
  }

  /** Closes every connection the session opened (as a client that simply goes away). */
  closeAll(): void {
    for (const conn of this.connections) conn.close();
  }
}
