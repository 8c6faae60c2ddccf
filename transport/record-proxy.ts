import dgram from "node:dgram";
import net from "node:net";
import { closeServer, listen } from "./tcp-server.js";
import { TranscriptRecorder, type RecordingLimits, type Transcript } from "./transcript.js";
import { bind, closeSocket } from "./udp-server.js";

/**
 * How much of a session a recording keeps. A session worth recording (a fixture, a user's session with a
 * real client) is a few dozen short messages; an endless reply or a flood would otherwise be kept whole,
 * in memory and then in the file, until the proxy is stopped.
 */
export const RECORDING_LIMITS: RecordingLimits & { keepBytes: number } = {
  /** Of one payload (one read of a stream, one datagram). */
  keepBytes: 64 * 1024,
  /** Of all payloads together. */
  bytes: 2 * 1024 * 1024,
  events: 20_000,
};

export interface RecordProxyOptions {
  protocol: string;
  transport: "tcp" | "udp";
  /** Where clients connect: the proxy's own address. Port 0 picks a free one. */
  listen: { host: string; port: number };
  /** The real server that traffic is passed on to. */
  target: { host: string; port: number };
}

export interface RecordProxy {
  /** The port the proxy listens on. */
  port: number;
  /** What has passed through so far, from the clients' side, as a transcript. */
  transcript(): Transcript;
  /** What the recording left out (RECORDING_LIMITS), in words, or undefined when it is whole. */
  cuts(): string | undefined;
  /** Resolves, with the limit, once the recording reached one of RECORDING_LIMITS and stopped. */
  full: Promise<string>;
  /** Resolves once no TCP connection is open through the proxy (at once for UDP), so the transcript is complete. */
  idle(): Promise<void>;
  /**
   * Resolves once TCP connection `label` (c1, c2, ...) has been accepted or refused by the server (at once
   * for UDP): a client that waits for it before going on gets its connect recorded in its own order.
   */
  settled(label: string): Promise<void>;
  close(): Promise<void>;
}

/**
 * A proxy that passes traffic between real clients and a real server and records it as a transcript:
 * TCP connections are c1, c2, ... and UDP client addresses s1, s2, ... in the order they appear. What
 * it keeps is bounded by RECORDING_LIMITS, and what it forwards by the slower side's pace (TCP).
 */
export function startRecordProxy(options: RecordProxyOptions): Promise<RecordProxy> {
  return options.transport === "tcp" ? tcpProxy(options) : udpProxy(options);
}

const newRecorder = (protocol: string) => new TranscriptRecorder(protocol, RECORDING_LIMITS.keepBytes, RECORDING_LIMITS);

/** Passes a chunk on; while `to` has not taken what it was given, `from` is not read (TCP's flow control does the rest). */
function forward(chunk: Buffer, from: net.Socket, to: net.Socket): void {
  if (to.write(chunk)) return;
  from.pause();
  to.once("drain", () => from.resume());
}

async function tcpProxy({ protocol, listen: at, target }: RecordProxyOptions): Promise<RecordProxy> {
  const recorder = newRecorder(protocol);
  const sockets = new Set<net.Socket>();
  let whenIdle: (() => void)[] = [];
  const forget = (socket: net.Socket) => {
    sockets.delete(socket);
    if (sockets.size > 0) return;
    for (const resolve of whenIdle) resolve();
    whenIdle = [];
  };
  const outcomes = new Map<string, { promise: Promise<void>; resolve: () => void }>();
  const outcome = (label: string) => {
    let entry = outcomes.get(label);
    if (!entry) {
      let resolve = () => {};
      const promise = new Promise<void>((r) => (resolve = r));
      entry = { promise, resolve };
      outcomes.set(label, entry);
    }
    return entry;
  };
  let count = 0;
  const server = net.createServer((client) => {
    const label = `c${++count}`;
    client.pause(); // nothing is passed on before the server has accepted the connection
    const upstream = net.connect({ host: target.host, port: target.port, noDelay: true });
    for (const socket of [client, upstream]) {
      sockets.add(socket);
      socket.on("close", () => forget(socket));
    }
    let accepted = false;
    upstream.once("connect", () => {
      accepted = true;
      recorder.record(label, "connect");
      outcome(label).resolve();
      client.resume();
    });
    upstream.once("error", () => {
      if (!accepted) {
        recorder.record(label, "refused");
        outcome(label).resolve();
      }
      client.destroy();
    });
    client.on("error", () => upstream.destroy());
    client.on("data", (chunk: Buffer) => {
      recorder.record(label, "send", chunk);
      forward(chunk, client, upstream);
    });
    upstream.on("data", (chunk: Buffer) => {
      recorder.record(label, "recv", chunk);
      forward(chunk, upstream, client);
    });
    let serverClosed = false;
    upstream.on("end", () => {
      serverClosed = true;
      recorder.record(label, "closed");
      client.end();
    });
    client.on("end", () => {
      // A transcript's close is the client leaving for good (as replays do it): what the server sends
      // after that never reaches the client, so the proxy does not wait for it either. After the
      // server's close the connection is over: the client's own close then is no event of the session.
      if (!serverClosed) recorder.record(label, "close");
      upstream.destroy();
    });
  });
  const port = await listen(server, at.host, at.port);
  return {
    port,
    transcript: () => recorder.transcript(),
    cuts: () => recorder.cuts(),
    full: recorder.full,
    idle: () => (sockets.size === 0 ? Promise.resolve() : new Promise((resolve) => whenIdle.push(resolve))),
    settled: (label) => outcome(label).promise,
    close: async () => {
      for (const socket of sockets) socket.destroy();
      await closeServer(server);
    },
  };
}

async function udpProxy({ protocol, listen: at, target }: RecordProxyOptions): Promise<RecordProxy> {
  const recorder = newRecorder(protocol);
  const family = net.isIPv6(at.host) ? "udp6" : "udp4";
  const front = dgram.createSocket(family);
  const upstreams = new Map<string, { label: string; socket: dgram.Socket }>();
  front.on("message", async (datagram, client) => {
    const key = `${client.address}:${client.port}`;
    let upstream = upstreams.get(key);
    if (!upstream) {
      // One socket towards the server per client, so that the server sees each client as its own address.
      const socket = dgram.createSocket(net.isIPv6(target.host) ? "udp6" : "udp4");
      upstream = { label: `s${upstreams.size + 1}`, socket };
      upstreams.set(key, upstream);
      const { label } = upstream;
      socket.on("message", (reply) => {
        recorder.record(label, "recv", reply);
        front.send(reply, client.port, client.address);
      });
      socket.on("error", () => {}); // an unreachable server: the client sees silence, as it would
    }
    recorder.record(upstream.label, "send", datagram);
    upstream.socket.send(datagram, target.port, target.host);
  });
  const port = await bind(front, at.host, at.port);
  return {
    port,
    transcript: () => recorder.transcript(),
    cuts: () => recorder.cuts(),
    full: recorder.full,
    idle: () => Promise.resolve(),
    settled: () => Promise.resolve(),
    close: async () => {
      await Promise.all([...upstreams.values()].map(({ socket }) => closeSocket(socket)));
      await closeSocket(front);
    },
  };
}
