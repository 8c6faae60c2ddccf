import dgram from "node:dgram";
import dns from "node:dns/promises";
import net from "node:net";
import type { ReadResult } from "./tcp-connection.js";
import type { TranscriptRecorder } from "./transcript.js";
import { bind } from "./udp-server.js";
import { waited } from "./margins.js";
import { Waker } from "./waker.js";

/** Datagrams kept unread at most; more are dropped. */
const MAX_UNREAD_DATAGRAMS = 64;

/**
 * A client UDP socket talking to one server: datagrams from any other address or port are ignored (a
 * spoofed answer is never read), and each datagram from the server is one message. Reads wait on the next datagram, never on a pause.
 */
export class UdpClient {
  private readonly inbox: Buffer[] = [];
  private readonly waker = new Waker();

  private constructor(
    private readonly socket: dgram.Socket,
    private readonly host: string,
    private readonly port: number,
    address: string,
    readonly label: string,
    public recorder?: TranscriptRecorder,
  ) {
    socket.on("message", (datagram, remote) => {
      // Unread datagrams are bounded whatever the server sends: a flood past the cap is dropped.
      if (remote.port !== port || remote.address !== address || this.inbox.length >= MAX_UNREAD_DATAGRAMS) return;
      this.inbox.push(datagram);
      this.waker.wake();
    });
  }

  /**
   * A socket on a free port of the loopback address that matches the server's, or of `from` (another
   * loopback address, such as 127.0.0.2, for a client from another IP address).
   */
  static async open(host: string, port: number, label: string, recorder?: TranscriptRecorder, from?: string): Promise<UdpClient> {
    const socket = dgram.createSocket(host.includes(":") ? "udp6" : "udp4");
    await bind(socket, from ?? (host.includes(":") ? "::1" : "127.0.0.1"), 0);
    socket.on("error", () => {}); // ICMP port unreachable and the like: a read then finds silence
    // The server's address as its datagrams show it: a name is resolved once, as send resolves it.
    const address = net.isIP(host) ? host : (await dns.lookup(host, { family: host.includes(":") ? 6 : 4 })).address;
    return new UdpClient(socket, host, port, address, label, recorder);
  }

  send(message: string | Uint8Array): void {
    const bytes = typeof message === "string" ? Buffer.from(message, "utf8") : Buffer.from(message);
    this.recorder?.record(this.label, "send", bytes);
    this.socket.send(bytes, this.port, this.host);
  }

  /** The next datagram from the server, or silence after timeoutMs. */
  async read(timeoutMs: number): Promise<ReadResult> {
    const started = performance.now();
    if (this.inbox.length === 0) await this.waker.wait(timeoutMs);
    const datagram = this.inbox.shift();
    if (datagram === undefined) {
      this.recorder?.record(this.label, "silence");
      return { kind: "silence" };
    }
    waited(performance.now() - started, timeoutMs);
    this.recorder?.record(this.label, "recv", datagram);
    return { kind: "message", bytes: datagram };
  }

  /** Takes the datagrams that came but were not read (late answers to requests given up on). */
  drain(): Buffer[] {
    return this.inbox.splice(0);
  }

  /**
   * Takes the datagrams that came but were not read, recording each: answers nobody asked for. Datagrams
   * that arrived with the last one read are let in first.
   */
  async takeUnread(): Promise<Buffer[]> {
    await new Promise((resolve) => setImmediate(resolve));
    const unread = this.drain();
    for (const datagram of unread) this.recorder?.record(this.label, "recv", datagram);
    return unread;
  }

  close(): void {
    try {
      this.socket.close();
    } catch {
      // already closed
    }
  }
}
