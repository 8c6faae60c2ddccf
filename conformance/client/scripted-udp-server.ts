import dgram from "node:dgram";
import type { TranscriptRecorder } from "../../transport/transcript.js";
import { bind, closeSocket } from "../../transport/udp-server.js";
import { Waker } from "../../transport/waker.js";
import { MAX_CLIENT_READ_BYTES, type ScriptedServer } from "./scripted-server.js";

/** What a receive gave: a datagram of the client's, or nothing in time. */
export type ClientDatagram = { kind: "message"; bytes: Buffer } | { kind: "silence" };

/** Where a spoofed datagram comes from: another port of the server's address, or another loopback address with the server's port. */
export type SpoofSource = "other-port" | "other-address";

/** Datagrams kept unread at most: a client that floods the kit loses the rest, as it would on a real network. */
const MAX_UNREAD_DATAGRAMS = 64;
/** The loopback address a spoofed datagram with the server's own port comes from. */
const OTHER_LOOPBACK = "127.0.0.2";

/**
 * A UDP server of the kit's own on a free loopback port, for one run: it receives the client's datagrams
 * (capped, timed), and answers them, drops them (answers nothing), answers late, or has another socket send
 * the client a datagram (a spoofed answer), as a check scripts. In the transcript `c1` is the client's
 * address: `send` what the client sent, `recv` what the kit answered; `spoof <address>:<port>` a datagram from elsewhere.
 */
export class ScriptedUdpServer implements ScriptedServer {
  private readonly socket = dgram.createSocket("udp4");
  private readonly inbox: Array<{ bytes: Buffer; address: string; port: number }> = [];
  private readonly waker = new Waker();
  private readonly spoofers: dgram.Socket[] = [];
  private client: { address: string; port: number } | undefined;
  readonly label = "c1";
  port = 0;

  constructor(
    readonly host: string,
    readonly recorder: TranscriptRecorder,
  ) {
    this.socket.on("message", (datagram, remote) => {
      if (this.inbox.length >= MAX_UNREAD_DATAGRAMS) return;
      this.inbox.push({ bytes: datagram.subarray(0, MAX_CLIENT_READ_BYTES), address: remote.address, port: remote.port });
      this.waker.wake();
    });
    this.socket.on("error", () => {}); // ICMP port unreachable once the client is gone: nothing to judge
  }

  async listen(): Promise<void> {
    this.port = await bind(this.socket, this.host, 0);
  }

  /** Whether a datagram came that was not received yet. */
  get hasPending(): boolean {
    return this.inbox.length > 0;
  }

  /** Resolves once a datagram is waiting (without taking it), or after timeoutMs: whether one is. */
  async arrival(timeoutMs: number): Promise<boolean> {
    const deadline = performance.now() + timeoutMs;
    while (this.inbox.length === 0 && performance.now() < deadline) await this.waker.wait(deadline - performance.now());
    return this.inbox.length > 0;
  }

  /** The client's next datagram, or silence after timeoutMs. Its sender is the address later answers go to. */
  async receive(timeoutMs: number): Promise<ClientDatagram> {
    if (!(await this.arrival(timeoutMs))) {
      this.recorder.record(this.label, "silence");
      return { kind: "silence" };
    }
    const { bytes, address, port } = this.inbox.shift()!;
    this.client = { address, port };
    this.recorder.record(this.label, "send", bytes);
    return { kind: "message", bytes };
  }

  /** Answers the client's last datagram, after delayMs when given (an answer that comes late). */
  async answer(text: string | Buffer, delayMs = 0): Promise<void> {
    if (delayMs > 0) await new Promise((resolve) => setTimeout(resolve, delayMs));
    const bytes = Buffer.from(text);
    this.recorder.record(this.label, "recv", bytes);
    await sendTo(this.socket, bytes, this.clientAddress());
  }

  /** Answers nothing to the client's last datagram, as when the request or its reply is lost on the way. */
  drop(): void {
    this.recorder.record(this.label, "silence", Buffer.from("the kit answers nothing (a lost datagram)"));
  }

  /**
   * Sends the client a datagram from another socket: another port of 127.0.0.1, or 127.0.0.2 with the
   * server's own port when that address can be bound (elsewhere another port again). Resolves with the
   * source used once the datagram is in the client's socket's queue (loopback delivers as it sends).
   */
  async spoof(text: string | Buffer, from: SpoofSource): Promise<SpoofSource> {
    const socket = dgram.createSocket("udp4");
    socket.on("error", () => {});
    this.spoofers.push(socket);
    let source = from;
    try {
      if (from === "other-address") await bind(socket, OTHER_LOOPBACK, this.port);
      else await bind(socket, this.host, 0);
    } catch {
      source = "other-port";
      await bind(socket, this.host, 0);
    }
    const bytes = Buffer.from(text);
    const { address, port } = socket.address();
    this.recorder.record(`spoof ${address}:${port}`, "recv", bytes);
    await sendTo(socket, bytes, this.clientAddress());
    return source;
  }

  async close(): Promise<void> {
    await Promise.all([this.socket, ...this.spoofers].map((socket) => closeSocket(socket)));
  }

  private clientAddress(): { address: string; port: number } {
    if (!this.client) throw new Error("the kit's server has no client to answer: receive a datagram first");
    return this.client;
  }
}

function sendTo(socket: dgram.Socket, bytes: Buffer, to: { address: string; port: number }): Promise<void> {
  return new Promise((resolve) => socket.send(bytes, to.port, to.address, () => resolve()));
}
