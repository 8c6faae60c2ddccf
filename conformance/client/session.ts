import type { ProtocolSpec } from "../../spec/protocol.js";
import type { Transcript, TranscriptRecorder } from "../../transport/transcript.js";
import { checkRecorder, Violation, type Timeouts } from "../check.js";
import { ClientProcess, exitInWords, showsTraceback, type ClientExit } from "./client-process.js";
import { inputLines, type ClientDriver } from "./driver.js";
import type { ScriptedServer } from "./scripted-server.js";
import { ScriptedTcpServer, type ScriptedConnection } from "./scripted-tcp-server.js";
import { ScriptedUdpServer } from "./scripted-udp-server.js";

/** What a client check may use while it runs. */
export interface ClientCheckContext {
  spec: ProtocolSpec;
  /** The command that starts the client under test (HOST and PORT in its environment). */
  command: string;
  /** The folder the command's relative paths mean what they say in. */
  cwd: string;
  driver: ClientDriver;
  timeouts: Timeouts;
  /** Property runs for this run of the kit (`--runs`); each check scales it to its cost. */
  runs: number;
}

/**
 * One property run of a client check: a scripted server of the kit's own on a free port (TCP or UDP, as the
 * protocol's servers listen), the client under test started against it, and one transcript of both the
 * wire and what the client printed. A run fails by `fail(expected, observed)`.
 */
export class ClientSession {
  readonly recorder: TranscriptRecorder;
  private constructor(
    readonly ctx: ClientCheckContext,
    readonly server: ScriptedServer,
    readonly client: ClientProcess,
  ) {
    this.recorder = server.recorder;
  }

  /** Starts the kit's server, then the client against it. */
  static async open(ctx: ClientCheckContext): Promise<ClientSession> {
    const recorder = checkRecorder(ctx.spec.protocol);
    const server = ctx.spec.transport === "udp" ? new ScriptedUdpServer("127.0.0.1", recorder) : new ScriptedTcpServer("127.0.0.1", recorder);
    await server.listen();
    try {
      return new ClientSession(ctx, server, ClientProcess.start(ctx.command, server.host, server.port, ctx.cwd, recorder));
    } catch (error) {
      await server.close();
      throw error;
    }
  }

  get timeouts(): Timeouts {
    return this.ctx.timeouts;
  }

  /** Makes the client do an action of its driver: types its lines, placeholders filled in. */
  do(action: string, values: Readonly<Record<string, string>> = {}): void {
    this.client.type(inputLines(this.ctx.driver, action, values));
  }

  /** The kit's UDP server, for a protocol over UDP. */
  get udp(): ScriptedUdpServer {
    if (!(this.server instanceof ScriptedUdpServer)) throw new Error(`${this.ctx.spec.protocol} does not run over UDP`);
    return this.server;
  }

  /** The connection the client opens (TCP); fails the run when it opens none within the reply timeout. */
  async accept(): Promise<ScriptedConnection> {
    if (!(this.server instanceof ScriptedTcpServer)) throw new Error(`${this.ctx.spec.protocol} does not run over TCP`);
    const conn = await this.server.accept(this.timeouts.replyMs);
    if (!conn)
      this.fail(
        "the client to connect to the server",
        this.client.exit ? `it ${exitInWords(this.client.exit)} without connecting` : `no connection within ${this.timeouts.replyMs} ms`,
      );
    return conn;
  }

  /** Waits until the client has printed the text on its standard output: whether it did within timeoutMs. */
  shows(text: string, timeoutMs = this.timeouts.replyMs): Promise<boolean> {
    return this.client.waitOutput((stdout) => stdout.includes(text), timeoutMs);
  }

  /** The client's exit, or undefined when it still runs after timeoutMs. */
  exit(timeoutMs = this.timeouts.replyMs): Promise<ClientExit | undefined> {
    return this.client.waitExit(timeoutMs);
  }

  /** Fails unless the client ended within the timeout with the status wanted (`nonzero` for any but 0) and printed no traceback. */
  async expectExit(status: number | "nonzero", why: string, timeoutMs = this.timeouts.replyMs): Promise<void> {
    const exit = await this.exit(timeoutMs);
    const wanted = status === "nonzero" ? "a non-zero status" : `status ${status}`;
    if (!exit) this.fail(`the client to exit with ${wanted} ${why}`, `it was still running ${timeoutMs} ms later`);
    const right = status === "nonzero" ? exit.code !== 0 : exit.code === status;
    if (!right) this.fail(`the client to exit with ${wanted} ${why}`, `it ${exitInWords(exit)}`);
    this.expectNoTraceback(why);
  }

  /** Fails when the client printed a traceback (Python's or Node.js's). */
  expectNoTraceback(why: string): void {
    const output = `${this.client.stderr}\n${this.client.stdout}`;
    if (showsTraceback(output)) this.fail(`no traceback ${why}`, `it printed one: ${lastLines(output, 3)}`);
  }

  transcript(): Transcript {
    return this.recorder.transcript();
  }

  fail(expected: string, observed: string): never {
    throw new Violation(expected, observed, this.transcript());
  }

  /** Stops the client and everything it started, and the kit's server. */
  async close(): Promise<void> {
    await this.client.stop();
    await this.server.close();
  }
}

function lastLines(text: string, n: number): string {
  return text.trim().split("\n").slice(-n).join(" / ");
}

/** Runs a check's run in a new session, closing it whatever happened. */
export async function withClientSession<T>(ctx: ClientCheckContext, run: (session: ClientSession) => Promise<T>): Promise<T> {
  const session = await ClientSession.open(ctx);
  try {
    return await run(session);
  } finally {
    await session.close();
  }
}
