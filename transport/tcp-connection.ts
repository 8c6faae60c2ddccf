import net from "node:net";
import type { TranscriptRecorder } from "./transcript.js";
import { Waker } from "./waker.js";

/** What a read gave: a message, the server's close, or nothing in time. */
export type ReadResult = { kind: "message"; bytes: Buffer } | { kind: "closed" } | { kind: "silence" };

export interface ReadOptions {
  /** Whether the bytes so far make a whole message; a read ends as soon as they do. */
  complete?: (bytes: Buffer) => boolean;
  /** How long to wait for the first byte. */
  timeoutMs: number;
  /** Once bytes arrived that are not (yet) an expected message, how long a pause ends the message. */
  settleMs: number;
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
  private pending = Buffer.alloc(0);
  private remoteClosed = false;
  private closedRecorded = false;
  private readonly waker = new Waker();

  private constructor(
    private readonly socket: net.Socket,
    readonly label: string,
    /** Where events go; a long-lived connection is handed a new recorder for each property run. */
    public recorder?: TranscriptRecorder,
  ) {
    socket.on("data", (chunk: Buffer) => {
      this.pending = Buffer.concat([this.pending, chunk]);
      this.waker.wake();
    });
    const onClose = () => {
      this.remoteClosed = true;
      this.waker.wake();
    };
    socket.on("end", onClose);
    socket.on("close", onClose);
    socket.on("error", onClose); // ECONNRESET and the like: the peer is gone, which is what we report
  }

  /** Opens a connection, recording `connect` or `refused`. */
  static open(host: string, port: number, label: string, recorder?: TranscriptRecorder, timeoutMs = 2000): Promise<TcpConnection> {
    return new Promise((resolve, reject) => {
      const socket = net.connect({ host, port, noDelay: true });
      const timer = setTimeout(() => socket.destroy(Object.assign(new Error("connect timed out"), { code: "ETIMEDOUT" })), timeoutMs);
      socket.once("connect", () => {
        clearTimeout(timer);
        socket.removeAllListeners("error");
        recorder?.record(label, "connect");
        resolve(new TcpConnection(socket, label, recorder));
      });
      socket.once("error", (err: NodeJS.ErrnoException) => {
        clearTimeout(timer);
        recorder?.record(label, "refused");
        reject(new ConnectionRefusedError(host, port, err.code ?? err.message));
      });
    });
  }

  /** Whether the server has neither sent anything not yet read nor closed the connection. */
  get quiet(): boolean {
    return this.pending.length === 0 && !this.remoteClosed;
  }

  /** Sends one message in one write. */
  send(message: string | Uint8Array): void {
    const bytes = typeof message === "string" ? Buffer.from(message, "utf8") : Buffer.from(message);
    this.recorder?.record(this.label, "send", bytes);
    this.socket.write(bytes);
  }

  /** Reads one message (see ReadOptions), recording it. */
  async read(options: ReadOptions): Promise<ReadResult> {
    const deadline = performance.now() + options.timeoutMs;
    let settleAt = Infinity;
    let seen = 0;
    for (;;) {
      const bytes = this.pending;
      if (bytes.length > 0 && options.complete?.(bytes)) return this.take("message");
      if (bytes.length > seen) {
        seen = bytes.length;
        settleAt = performance.now() + options.settleMs;
      }
      if (this.remoteClosed) return bytes.length > 0 ? this.take("message") : this.closed();
      const now = performance.now();
      if (bytes.length > 0 && now >= settleAt) return this.take("message");
      if (bytes.length === 0 && now >= deadline) {
        this.recorder?.record(this.label, "silence");
        return { kind: "silence" };
      }
      await this.nextEvent((bytes.length > 0 ? settleAt : deadline) - now);
    }
  }

  /** Waits for the server to close the connection; bytes it sends meanwhile are recorded and returned. */
  async waitClosed(timeoutMs: number): Promise<{ closed: boolean; bytes: Buffer }> {
    const deadline = performance.now() + timeoutMs;
    while (!this.remoteClosed && performance.now() < deadline) await this.nextEvent(deadline - performance.now());
    const bytes = this.pending.length > 0 ? this.take("message").bytes : Buffer.alloc(0);
    if (!this.remoteClosed) {
      this.recorder?.record(this.label, "silence");
      return { closed: false, bytes };
    }
    this.closed();
    return { closed: true, bytes };
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

  private take(kind: "message"): { kind: "message"; bytes: Buffer } {
    const bytes = this.pending;
    this.pending = Buffer.alloc(0);
    this.recorder?.record(this.label, "recv", bytes);
    return { kind, bytes };
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
