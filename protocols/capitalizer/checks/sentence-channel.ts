import {
  type CheckContext,
  ConnectionRefusedError,
  EXIT_GRACE_MS,
  failing,
  type ReadResult,
  type ServerHandle,
  TcpConnection,
  type TranscriptRecorder,
  Violation,
} from "../../../kit/index.js";
import { capitalizer, expectedReply, isWholeAnswer, maxAnswerBytes } from "../spec/index.js";
import { answerText } from "./session.js";

/**
 * One connection that carries a sentence per property run, so checks of the reply itself do not start a
 * server per sentence. With a target that starts servers, the channel moves to a fresh server before the
 * quota runs out; with a bare host/port it stops when the server sends the limit notice, and the runs
 * after that are vacuous.
 */
export class SentenceChannel {
  private server: ServerHandle | undefined;
  private conn: TcpConnection | undefined;
  private answered = 0;
  private exhausted = false;

  constructor(private readonly ctx: CheckContext) {}

  /**
   * Sends one sentence and reads the answer; undefined once a bare server's quota is used up. An `exact`
   * read ends only on the very reply a correct server gives (or the limit notice), so that a second reply
   * following the first is read with it.
   */
  async say(sentence: string, recorder: TranscriptRecorder, exact = false): Promise<ReadResult | undefined> {
    if (this.exhausted) return undefined;
    const { quota } = capitalizer.limits;
    if (this.ctx.target.fresh && this.answered >= quota) await this.reset();
    let result = await this.exchange(sentence, recorder, exact);
    if (result.kind === "closed" && this.conn?.closedAfterIdle(this.ctx.spec.limits.idleTimeoutMs!)) {
      // Left alone past the idle timeout between runs (a loaded machine, a short limit): the server may close it.
      this.conn = undefined;
      result = await this.exchange(sentence, recorder, exact);
    }
    if (answerText(result) === capitalizer.wireTexts.limitNotice) {
      if (!this.ctx.target.fresh) {
        this.exhausted = true;
        return undefined;
      }
      // The server's quota ran out before ours: that is for the quota rules to judge. Retry on a fresh server.
      if (this.answered > 0) {
        await this.reset();
        result = await this.exchange(sentence, recorder, exact);
      }
    }
    if (result.kind !== "message") {
      // Closed or silent because the server's process died: that is the failure to report.
      const exit = await this.server?.exited?.(EXIT_GRACE_MS);
      if (exit) throw Violation.of(`a reply to ${JSON.stringify(sentence)}`, result, this.ctx.timeouts, recorder.transcript()).crashed(exit);
      await this.reset(); // start clean for the next run
    } else this.answered += 1;
    return result;
  }

  async close(): Promise<void> {
    await this.reset();
  }

  private async exchange(sentence: string, recorder: TranscriptRecorder, exact: boolean): Promise<ReadResult> {
    const conn = await this.connection(recorder);
    conn.recorder = recorder;
    conn.send(sentence);
    const reply = Buffer.from(expectedReply(sentence));
    const notice = Buffer.from(capitalizer.wireTexts.limitNotice);
    const complete = exact ? (bytes: Buffer) => bytes.equals(reply) || bytes.equals(notice) : isWholeAnswer;
    return conn.read({ complete, timeoutMs: this.ctx.timeouts.replyMs, settleMs: this.ctx.timeouts.settleMs, maxBytes: maxAnswerBytes() });
  }

  private async connection(recorder: TranscriptRecorder): Promise<TcpConnection> {
    if (this.conn) return this.conn;
    this.server ??= await this.ctx.target.start();
    try {
      this.conn = await TcpConnection.open(this.server.host, this.server.port, "c1", recorder, this.ctx.timeouts.replyMs);
    } catch (error) {
      if (!(error instanceof ConnectionRefusedError)) throw error;
      return failing(this.ctx.timeouts, recorder)("the connection to be accepted", `it was refused (${error.code})`);
    }
    return this.conn;
  }

  private async reset(): Promise<void> {
    this.conn?.close();
    this.conn = undefined;
    this.answered = 0;
    if (this.ctx.target.fresh) {
      await this.server?.stop();
      this.server = undefined;
    }
  }
}
