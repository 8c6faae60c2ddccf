import {
  type CheckContext,
  checkRecorder,
  ConnectionRefusedError,
  Conversation,
  describeRead,
  describeValue,
  type HttpAnswer,
  httpRequest,
  type HttpRequest,
  defineChecks,
  NotCheckableError,
  type ServerHandle,
  TcpConnection,
} from "../../../kit/index.js";
import type { StatusRuleId } from "../spec/rule-ids.js";

/**
 * One property run's requests to the status server, recorded, each on a connection of its own (h1, h2, ...),
 * and the raw connections it opens (c1, c2, ...).
 */
export class StatusSession extends Conversation {
  private requests = 0;
  private readonly connections: TcpConnection[] = [];
  private opened = 0;

  constructor(
    readonly server: ServerHandle,
    readonly ctx: CheckContext,
  ) {
    super(ctx.timeouts, checkRecorder(ctx.spec.protocol));
  }

  /** A request's connection is closed once it is answered; the raw ones are closed here. */
  closeAll(): void {
    for (const conn of this.connections) conn.close();
  }

  /**
   * Opens a raw TCP connection, from the local address `from` when given; the connect's failure (refused,
   * reset, not accepted within the reply timeout) when it does not succeed.
   */
  async connect(from?: string): Promise<TcpConnection | ConnectionRefusedError> {
    const { host, port } = this.server;
    try {
      const conn = await TcpConnection.open(host, port, `c${++this.opened}`, this.recorder, this.ctx.timeouts.replyMs, from);
      this.connections.push(conn);
      return conn;
    } catch (error) {
      if (error instanceof ConnectionRefusedError && from !== undefined && error.code === "EADDRNOTAVAIL")
        throw new NotCheckableError(`this machine has no loopback address ${from} to connect from`);
      if (error instanceof ConnectionRefusedError) return error;
      throw error;
    }
  }

  /** Sends a request and returns its answer; silence or a refused connection fails the run. */
  async ask(request: HttpRequest, timeoutMs = this.ctx.timeouts.replyMs): Promise<HttpAnswer> {
    const result = await httpRequest(this.server, request, timeoutMs, this.recorder, `h${++this.requests}`);
    if (result.kind === "silence") this.fail(`an answer to ${request.method} ${request.path}`, { silent: `no answer within ${timeoutMs} ms` });
    if (result.kind === "refused") this.fail(`an answer to ${request.method} ${request.path}`, `the connection failed (${result.code})`);
    return result;
  }

  /** Fails the run unless `actual` equals `expected`, naming what was compared. */
  expectEqual<T>(what: string, actual: T, expected: T): void {
    if (actual !== expected) this.fail(`${what} ${JSON.stringify(expected)}`, describeValue(actual));
  }

  /** An answer's body in words: its size and beginning when long, and whether the kit stopped reading it. */
  describeBody(answer: HttpAnswer): string {
    return describeRead({ kind: "message", bytes: answer.body, ...(answer.overflow ? { overflow: true } : {}) }, this.ctx.timeouts);
  }
}

/** A status check: each run talks to its server through a new StatusSession. */
export const check = defineChecks<StatusRuleId, StatusSession>((server, ctx) => new StatusSession(server, ctx));
