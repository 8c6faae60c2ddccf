import net from "node:net";
import { closeServer, listen } from "../../transport/tcp-server.js";
import type { TranscriptRecorder } from "../../transport/transcript.js";
import { Waker } from "../../transport/waker.js";
import { MAX_CLIENT_READ_BYTES, type ClientRead, type ScriptedServer } from "./scripted-server.js";

export { MAX_CLIENT_READ_BYTES, type ClientRead } from "./scripted-server.js";

/**
 * The kit's side of one connection a client under test opened: reads capped and timed, and writes that may
 * be split and delayed, closed (FIN) or reset (RST) as a check scripts. In the transcript the connection's
 * events are from the client's point of view: `send` is what the client sent, `recv` what the kit answered,
 * `closed` the kit's close, `close` and `reset` the client's.
 */
export class ScriptedConnection {
  private chunks: Buffer[] = [];
  private pendingLength = 0;
  private clientClosed: { reset: boolean } | undefined;
  private readonly waker = new Waker();

  constructor(
    private readonly socket: net.Socket,
    readonly label: string,
    private readonly recorder: TranscriptRecorder,
  ) {
    socket.setNoDelay(true);
    socket.on("data", (chunk: Buffer) => {
      this.chunks.push(chunk);
      this.pendingLength += chunk.length;
      if (this.pendingLength > MAX_CLIENT_READ_BYTES) socket.pause();
      this.waker.wake();
    });
    const onEnd = (reset: boolean) => () => {
      if (!this.clientClosed) this.clientClosed = { reset };
      this.waker.wake();
    };
    socket.on("end", onEnd(false));
    socket.on("error", onEnd(true));
    socket.on("close", onEnd(false));
  }

  /** Whether the client sent bytes not yet read. */
  get hasPending(): boolean {
    return this.pendingLength > 0;
  }

  /**
   * Reads what the client sends: ends as soon as `complete` holds of the bytes, settleMs after the last byte
   * otherwise, at the client's close, or with silence after timeoutMs.
   */
  async read({ complete, timeoutMs, settleMs }: { complete?: (bytes: Buffer) => boolean; timeoutMs: number; settleMs: number }): Promise<ClientRead> {
    const deadline = performance.now() + timeoutMs;
    let [seen, settleAt] = [0, Infinity];
    for (;;) {
      if (this.pendingLength > MAX_CLIENT_READ_BYTES) return this.take();
      if (this.pendingLength > seen) {
        if (complete?.(this.pending())) return this.take();
        seen = this.pendingLength;
        settleAt = performance.now() + settleMs;
      }
      if (this.clientClosed) return seen > 0 ? this.take() : this.closed();
      const now = performance.now();
      if (seen > 0 && now >= settleAt) return this.take();
      if (seen === 0 && now >= deadline) {
        this.recorder.record(this.label, "silence");
        return { kind: "silence" };
      }
      await this.waker.wait((seen > 0 ? settleAt : deadline) - now);
    }
  }

  /**
   * Waits ms for the client to stay quiet: whatever it sends meanwhile (or its close) ends the wait early.
   * Resolves with what it sent, or undefined when it sent nothing.
   */
  async quietFor(ms: number): Promise<ClientRead | undefined> {
    const deadline = performance.now() + ms;
    while (this.pendingLength === 0 && !this.clientClosed && performance.now() < deadline) await this.waker.wait(deadline - performance.now());
    if (this.pendingLength > 0) return this.take();
    return this.clientClosed ? this.closed() : undefined;
  }

  /**
   * Writes bytes as one write, or in pieces cut at the given offsets, each followed by its delay (a reply
   * arriving slowly). Resolves with what the client sent before the last piece went out, if it sent anything.
   */
  async write(bytes: Buffer, pieces: ReadonlyArray<{ at: number; delayMs: number }> = []): Promise<ClientRead | undefined> {
    let from = 0;
    let early: ClientRead | undefined;
    for (const { at, delayMs } of [...pieces].sort((a, b) => a.at - b.at)) {
      if (at <= from || at >= bytes.length) continue;
      this.send(bytes.subarray(from, at));
      from = at;
      const sent = await this.quietFor(delayMs);
      early ??= sent;
      if (sent?.kind === "closed") return early;
    }
    this.send(bytes.subarray(from));
    return early;
  }

  /** Closes the kit's side (FIN), as a server that ends the connection does. */
  close(): void {
    this.recorder.record(this.label, "closed");
    this.socket.end();
  }

  /** Resets the connection (RST), as a server that crashes does. */
  reset(): void {
    this.recorder.record(this.label, "closed", Buffer.from("reset (RST)"));
    this.socket.resetAndDestroy();
  }

  destroy(): void {
    this.socket.destroy();
  }

  private send(bytes: Buffer): void {
    if (this.socket.destroyed || bytes.length === 0) return;
    this.recorder.record(this.label, "recv", bytes);
    this.socket.write(bytes);
  }

  private pending(): Buffer {
    if (this.chunks.length > 1) this.chunks = [Buffer.concat(this.chunks, this.pendingLength)];
    return this.chunks[0] ?? Buffer.alloc(0);
  }

  private take(): ClientRead {
    const bytes = this.pending().subarray(0, MAX_CLIENT_READ_BYTES);
    this.chunks = [];
    this.pendingLength = 0;
    this.socket.resume();
    this.recorder.record(this.label, "send", bytes);
    return { kind: "message", bytes };
  }

  private closed(): ClientRead {
    const reset = this.clientClosed!.reset;
    this.recorder.record(this.label, reset ? "reset" : "close");
    return { kind: "closed", reset };
  }
}

/** A TCP server of the kit's own on a free loopback port, for one run: it hands the check each connection a client opens. */
export class ScriptedTcpServer implements ScriptedServer {
  private readonly server = net.createServer({ allowHalfOpen: true });
  private readonly waiting: net.Socket[] = [];
  private readonly opened: ScriptedConnection[] = [];
  private readonly waker = new Waker();
  port = 0;

  constructor(
    readonly host: string,
    readonly recorder: TranscriptRecorder,
  ) {
    this.server.on("connection", (socket) => {
      socket.on("error", () => {}); // told to the connection once accepted; never an uncaught error
      this.waiting.push(socket);
      this.waker.wake();
    });
  }

  async listen(): Promise<void> {
    this.port = await listen(this.server, this.host, 0);
  }

  /** The next connection a client opens, or undefined when none comes within timeoutMs. */
  async accept(timeoutMs: number): Promise<ScriptedConnection | undefined> {
    const deadline = performance.now() + timeoutMs;
    while (this.waiting.length === 0 && performance.now() < deadline) await this.waker.wait(deadline - performance.now());
    const socket = this.waiting.shift();
    if (!socket) return undefined;
    const conn = new ScriptedConnection(socket, `c${this.opened.length + 1}`, this.recorder);
    this.recorder.record(conn.label, "connect");
    this.opened.push(conn);
    return conn;
  }

  async close(): Promise<void> {
    for (const conn of this.opened) conn.destroy();
    for (const socket of this.waiting) socket.destroy();
    await closeServer(this.server);
  }
}
