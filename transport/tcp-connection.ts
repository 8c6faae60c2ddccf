import net from "node:net";
import type { TranscriptRecorder } from "./transcript.js";
import { waited } from "./margins.js";
import { Waker } from "./waker.js";

/**
 * What a read gave: a message, the server's close, or nothing in time. A message cut at the read's byte
 * cap is `overflow`: the server sent more without a whole answer, and the kit stopped reading there.
 */
export type ReadResult = { kind: "message"; bytes: Buffer; overflow?: true } | { kind: "closed" } | { kind: "silence" };

/** The most one read takes in: a few times the largest burst a correct server sends in answer to one write. */
export const MAX_READ_BYTES = 256 * 1024;

export interface ReadOptions {
  /** Whether the bytes so far make a whole message; a read ends as soon as they do. */
  complete?: (bytes: Buffer) => boolean;
  /**
   * How long to wait for the first byte. A read ends settleMs after this at the latest, with what came,
   * however slowly bytes keep trickling in.
   */
  timeoutMs: number;
  /** Once bytes arrived that are not (yet) an expected message, how long a pause ends the message. */
  settleMs: number;
  /** The most bytes the read takes in (MAX_READ_BYTES by default); past it the kit hangs up. */
  maxBytes?: number;
}

export class ConnectionRefusedError extends Error {
  constructor(
    readonly host: string,
    readonly port: number,
    readonly code: string,
  ) {
    super(`cannot connect to ${host}:${port} (${code})`);
  }
}

/**
 * A client TCP connection for protocols without delimiters. Bytes are buffered as they come; a read ends
 * on an event (the bytes make a whole message, the server closed) and only falls back to a pause
 * (settleMs) for bytes no correct server would send, so correct servers are never waited on.
 */
export class TcpConnection {
  /** Bytes come in chunks; they are joined only when a read looks at them, never chunk by chunk. */
  private chunks: Buffer[] = [];
  private pendingLength = 0;
  private remoteClosed = false;
  /** The socket is gone on both sides: the server reset it, or each side sent its FIN. */
  private released = false;
  private closedRecorded = false;
  private readonly waker = new Waker();
  /** When the client last sent (or connected): the server's idle timeout counts from it. */
  private lastSentAt = performance.now();
  /** The longest stretch between two sends (the connect counts as the first): a close may have come in it. */
  private longestQuietMs = 0;
  private closedAt: number | undefined;

  private constructor(
    private readonly socket: net.Socket,
    readonly label: string,
    /** Where events go; a long-lived connection is handed a new recorder for each property run. */
    public recorder?: TranscriptRecorder,
  ) {
    socket.on("data", (chunk: Buffer) => {
      this.chunks.push(chunk);
      this.pendingLength += chunk.length;
      // Unread bytes are bounded whatever the server sends: past the cap, it waits (TCP's flow control).
      if (this.pendingLength > MAX_READ_BYTES) socket.pause();
      this.waker.wake();
    });
    const onClose = () => {
      this.closedAt ??= performance.now();
      this.remoteClosed = true;
      this.waker.wake();
    };
    socket.on("end", onClose);
    socket.on("close", onClose);
    socket.on("error", onClose); // ECONNRESET and the like: the peer is gone, which is what we report
    socket.on("close", () => {
      this.released = true;
      this.waker.wake();
    });
  }

  /**
   * Opens a connection, recording `connect` or `refused`; from `localAddress` (another loopback address) when
   * given. With `ignoreFin`, the client never closes its side, not even once the server has closed its own.
   */
  static open(
    host: string,
    port: number,
    label: string,
    recorder?: TranscriptRecorder,
    timeoutMs = 2000,
    localAddress?: string,
    ignoreFin = false,
  ): Promise<TcpConnection> {
    return new Promise((resolve, reject) => {
      // The server's idle count may start as soon as it accepts, before the connect is seen here: this
      // side's starts before the connect is asked, so that it is never shorter.
      const asked = performance.now();
      const socket = net.connect({ host, port, noDelay: true, allowHalfOpen: ignoreFin, ...(localAddress ? { localAddress } : {}) });
      const timer = setTimeout(() => socket.destroy(Object.assign(new Error("connect timed out"), { code: "ETIMEDOUT" })), timeoutMs);
      socket.once("connect", () => {
        clearTimeout(timer);
        socket.removeAllListeners("error");
        recorder?.record(label, "connect");
        const conn = new TcpConnection(socket, label, recorder);
        conn.lastSentAt = asked;
        resolve(conn);
      });
      socket.once("error", (err: NodeJS.ErrnoException) => {
        clearTimeout(timer);
        // Why it could not connect, in words, as the transcript shows it: refused, reset or timed out.
        const why = err.code === "ETIMEDOUT" ? `timed out after ${timeoutMs} ms` : err.code === "ECONNRESET" ? "reset" : `refused (${err.code ?? err.message})`;
        recorder?.record(label, "refused", Buffer.from(why));
        reject(new ConnectionRefusedError(host, port, err.code ?? err.message));
      });
    });
  }

  /** Whether either side has closed the connection. */
  get ended(): boolean {
    return this.remoteClosed || this.socket.destroyed;
  }

  /** Whether the server has neither sent anything not yet read nor closed the connection. */
  get quiet(): boolean {
    return this.pendingLength === 0 && !this.remoteClosed;
  }

  /** Sends one message in one write. */
  send(message: string | Uint8Array): void {
    const bytes = typeof message === "string" ? Buffer.from(message, "utf8") : Buffer.from(message);
    this.recorder?.record(this.label, "send", bytes);
    const now = performance.now();
    this.longestQuietMs = Math.max(this.longestQuietMs, now - this.lastSentAt);
    this.lastSentAt = now;
    this.socket.write(bytes);
  }

  /**
   * Whether the server closed the connection after the client had sent nothing for at least `ms`, which a
   * server with that idle timeout may do. The close is seen only when this process gets to it, which on a
   * loaded machine can be after later sends: so any stretch that long between sends excuses it, as does
   * the time from the last send to the close. Each is never shorter than the server's own count.
   */
  closedAfterIdle(ms: number): boolean {
    if (this.closedAt === undefined) return false;
    return Math.max(this.longestQuietMs, this.closedAt - this.lastSentAt) >= ms;
  }

  /** Reads one message (see ReadOptions), recording it. */
  async read(options: ReadOptions): Promise<ReadResult> {
    const maxBytes = options.maxBytes ?? MAX_READ_BYTES;
    const started = performance.now();
    const deadline = started + options.timeoutMs;
    let settleAt = Infinity;
    let seen = 0;
    for (;;) {
      if (this.pendingLength > maxBytes) return this.overflow(maxBytes);
      if (this.pendingLength > seen) {
        if (seen === 0) waited(performance.now() - started, options.timeoutMs);
        if (options.complete?.(this.pending())) return this.take();
        seen = this.pendingLength;
        settleAt = Math.min(performance.now() + options.settleMs, deadline + options.settleMs);
      }
      if (this.remoteClosed) return seen > 0 ? this.take() : this.closed();
      const now = performance.now();
      if (seen > 0 && now >= settleAt) return this.take();
      if (seen === 0 && now >= deadline) {
        this.recorder?.record(this.label, "silence");
        return { kind: "silence" };
      }
      await this.nextEvent((seen > 0 ? settleAt : deadline) - now);
    }
  }

  /** Waits for the server to close the connection; bytes it sends meanwhile (up to MAX_READ_BYTES) are recorded and returned. */
  async waitClosed(timeoutMs: number): Promise<{ closed: boolean; bytes: Buffer }> {
    const started = performance.now();
    const deadline = started + timeoutMs;
    while (!this.remoteClosed && this.pendingLength <= MAX_READ_BYTES && performance.now() < deadline) await this.nextEvent(deadline - performance.now());
    if (this.remoteClosed) waited(performance.now() - started, timeoutMs);
    if (this.pendingLength > MAX_READ_BYTES) return { closed: false, bytes: this.overflow(MAX_READ_BYTES).bytes };
    const bytes = this.pendingLength > 0 ? this.take().bytes : Buffer.alloc(0);
    if (!this.remoteClosed) {
      this.recorder?.record(this.label, "silence");
      return { closed: false, bytes };
    }
    this.closed();
    return { closed: true, bytes };
  }

  /**
   * Waits for the socket to be gone on both sides, as one opened with ignoreFin is only once the server drops
   * it: the server's FIN alone leaves it half-open. Whether it is.
   */
  async waitReleased(timeoutMs: number): Promise<boolean> {
    const deadline = performance.now() + timeoutMs;
    while (!this.released && performance.now() < deadline) await this.nextEvent(deadline - performance.now());
    return this.released;
  }

  /** The client finishes sending (FIN after anything still queued) and keeps reading. */
  end(): void {
    if (!this.socket.destroyed) {
      this.recorder?.record(this.label, "close");
      this.socket.end();
    }
  }

  /** Resets the connection (RST), as a client that crashes or aborts does. */
  reset(): void {
    if (!this.socket.destroyed) {
      this.recorder?.record(this.label, "reset");
      this.socket.resetAndDestroy();
    }
  }

  /** The client closes the connection. */
  close(): void {
    if (!this.socket.destroyed) {
      this.recorder?.record(this.label, "close");
      this.socket.destroy();
    }
  }

  /** The bytes come so far, joined into one buffer (and kept so). */
  private pending(): Buffer {
    if (this.chunks.length > 1) this.chunks = [Buffer.concat(this.chunks, this.pendingLength)];
    return this.chunks[0] ?? Buffer.alloc(0);
  }

  private take(): { kind: "message"; bytes: Buffer } {
    const bytes = this.pending();
    this.chunks = [];
    this.pendingLength = 0;
    this.socket.resume();
    this.recorder?.record(this.label, "recv", bytes);
    return { kind: "message", bytes };
  }

  /** More than maxBytes came without a whole message: the first maxBytes are the message, and the kit hangs up. */
  private overflow(maxBytes: number): { kind: "message"; bytes: Buffer; overflow: true } {
    const bytes = this.pending().subarray(0, maxBytes);
    this.chunks = [];
    this.pendingLength = 0;
    this.recorder?.record(this.label, "recv", bytes);
    this.close();
    return { kind: "message", bytes, overflow: true };
  }

  private closed(): { kind: "closed" } {
    if (!this.closedRecorded) {
      this.closedRecorded = true;
      this.recorder?.record(this.label, "closed");
    }
    return { kind: "closed" };
  }

  private nextEvent(ms: number): Promise<void> {
    return this.waker.wait(ms);
  }
}
