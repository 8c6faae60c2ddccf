import { ConnectionRefusedError, TcpConnection, type ReadResult } from "../transport/tcp-connection.js";
import { eventBytes, formatTranscript, type Transcript, type TranscriptEvent, type TranscriptRecorder } from "../transport/transcript.js";
import { UdpClient } from "../transport/udp-socket.js";
import { blameCrash, checkRecorder, EXIT_GRACE_MS, expectStillRunning, Violation, type Timeouts } from "./check.js";
import { failing } from "./conversation.js";
import { describeRead } from "./describe.js";
import type { ServerHandle } from "./target.js";

/** One client side of a replay: a TCP connection or a UDP socket. */
interface Endpoint {
  send(bytes: Buffer): void;
  /** The next message; `expected` lets a stream read stop as soon as the recorded bytes are in. */
  read(expected?: Buffer): Promise<ReadResult>;
  waitClosed(timeoutMs: number): Promise<{ closed: boolean; bytes: Buffer }>;
  /** Datagrams that came unasked since the last read (none over TCP, where bytes join the next read). */
  unread(): Promise<Buffer[]>;
  reset(): void;
  close(): void;
}

/** How a transport opens the endpoint a transcript calls `label`; undefined when the server refused it. */
type Opener = (server: ServerHandle, label: string, recorder: TranscriptRecorder, timeouts: Timeouts) => Promise<Endpoint | undefined>;

const openers: Record<"tcp" | "udp", Opener> = {
  async tcp(server, label, recorder, timeouts) {
    const conn = await TcpConnection.open(server.host, server.port, label, recorder, timeouts.replyMs).catch((error: unknown) => {
      if (error instanceof ConnectionRefusedError) return undefined;
      throw error;
    });
    return (
      conn && {
        send: (bytes) => conn.send(bytes),
        read: (expected) => conn.read({ complete: expected && ((bytes) => bytes.equals(expected)), timeoutMs: timeouts.replyMs, settleMs: timeouts.settleMs }),
        waitClosed: (ms) => conn.waitClosed(ms),
        unread: async () => [],
        reset: () => conn.reset(),
        close: () => conn.close(),
      }
    );
  },
  async udp(server, label, recorder, timeouts) {
    const socket = await UdpClient.open(server.host, server.port, label, recorder);
    return {
      send: (bytes) => socket.send(bytes),
      read: () => socket.read(timeouts.replyMs),
      waitClosed: () => Promise.reject(new Error(`a UDP transcript has no "closed" events (${label})`)),
      unread: () => socket.takeUnread(),
      reset: () => {
        throw new Error(`a UDP transcript has no "reset" events (${label})`);
      },
      close: () => socket.close(),
    };
  },
};

/**
 * A replay differed at a kind of server event the rule it was replayed for is not decided on (the answers,
 * where the rule is about the close after them): it shows that rule nothing.
 */
export class NotDecidingDifference extends Error {}

/**
 * Replays a recorded session against a server: the client's events are repeated, and every server event
 * (a message, a close, a refusal, a silence) must happen again byte for byte. Over UDP a socket opens at
 * its first event. Throws a Violation at the first difference, with the replay's own transcript; for a
 * rule (`forRule`) the transcript decides only on some kinds of event, a NotDecidingDifference at another.
 */
export async function replay(
  transcript: Transcript,
  server: ServerHandle,
  transport: "tcp" | "udp",
  timeouts: Timeouts,
  forRule?: string,
): Promise<{ udpRetries: number }> {
  const decidedOn = forRule === undefined ? undefined : transcript.decides?.[forRule];
  let at: TranscriptEvent | undefined;
  /** Connections that have been answered. */
  const answered = new Set<string>();
  /** Connections the replay closed. */
  const closedByClient = new Set<string>();
  const endpoints = new Map<string, Endpoint>();
  /**
   * A connection never answered yet, silent while connections opened before it are open, may be waiting for
   * them to close (a server that serves one connection at a time). When the transcript names the rule that
   * judges that, and it is not the rule replayed for, the exit is looked for, the earlier connections are
   * closed, and an answer then makes the difference not this rule's.
   */
  const servedOnlyAlone = async (conn: string, differs: () => never): Promise<void> => {
    const judge = transcript.concurrencyRule;
    const earlier = [...endpoints].slice(0, [...endpoints.keys()].indexOf(conn)).filter(([label]) => !closedByClient.has(label));
    if (judge === undefined || forRule === undefined || forRule === judge || earlier.length === 0 || transport !== "tcp") return;
    if (server.exited && (await server.exited(EXIT_GRACE_MS))) return;
    for (const [label, endpoint] of earlier) {
      endpoint.close();
      closedByClient.add(label);
    }
    if ((await endpoints.get(conn)!.read()).kind === "message")
      throw new NotDecidingDifference(
        `${conn} was answered only once the connections before it closed: the server serves one connection at a time, which ${judge} judges`,
      );
    try {
      differs();
    } catch (error) {
      // The exit was looked for before the replay closed those connections: one now would be the replay's doing.
      if (error instanceof Violation) error.exitLookedFor = true;
      throw error;
    }
  };
  const open = openers[transport];
  const recorder = checkRecorder(transcript.protocol);
  /** The last datagram each UDP socket sent: what --udp-retries sends again. */
  const lastSent = new Map<string, Buffer>();
  let udpRetries = 0;
  /** Sockets whose last datagram was sent again: two answers to it may come. */
  const resent = new Set<string>();
  const fail = failing(timeouts, recorder);
  const endpointOf = async (event: TranscriptEvent): Promise<Endpoint> => {
    const known = endpoints.get(event.conn);
    if (known) return known;
    if (transport === "tcp") return fail(`a fixture that opens ${event.conn} before using it`, formatTranscript(transcript));
    const opened = (await open(server, event.conn, recorder, timeouts))!;
    endpoints.set(event.conn, opened);
    return opened;
  };
  try {
    for (const event of transcript.events) {
      at = event;
      switch (event.type) {
        case "connect":
        case "refused": {
          const opened = await open(server, event.conn, recorder, timeouts);
          if (opened) endpoints.set(event.conn, opened);
          if (event.type === "connect" && !opened) fail(`${event.conn} to be accepted`, "the connection was refused");
          if (event.type === "refused" && opened) fail(`${event.conn} to be refused`, "the connection was accepted");
          break;
        }
        case "send": {
          const endpoint = await endpointOf(event);
          // An answer nobody asked for: a correct server answers each datagram once (unless it was sent twice).
          const extra = await endpoint.unread();
          if (extra.length > 0 && !resent.has(event.conn))
            fail(`one answer to each request on ${event.conn}`, `${extra.length} more datagram(s) after the answer to its previous request`);
          resent.delete(event.conn);
          endpoint.send(eventBytes(event));
          lastSent.set(event.conn, eventBytes(event));
          break;
        }
        case "recv": {
          const expected = eventBytes(event);
          const endpoint = await endpointOf(event);
          let result = await endpoint.read(expected);
          for (let retry = 0; transport === "udp" && result.kind === "silence" && retry < timeouts.udpRetries && lastSent.has(event.conn); retry++) {
            endpoint.send(lastSent.get(event.conn)!);
            resent.add(event.conn);
            udpRetries += 1;
            result = await endpoint.read(expected);
          }
          const differs = () => fail(`${event.conn} to receive ${JSON.stringify(expected.toString("utf8"))}`, result);
          if (result.kind === "silence" && !answered.has(event.conn)) await servedOnlyAlone(event.conn, differs);
          if (result.kind !== "message" || !result.bytes.equals(expected)) differs();
          answered.add(event.conn);
          break;
        }
        case "closed": {
          const { closed, bytes } = await (await endpointOf(event)).waitClosed(timeouts.replyMs);
          if (!closed || bytes.length > 0)
            fail(
              `the server to close ${event.conn}`,
              bytes.length > 0 ? `it sent ${describeRead({ kind: "message", bytes }, timeouts)}` : { silent: `it was still open after ${timeouts.replyMs} ms` },
            );
          break;
        }
        case "close":
          (await endpointOf(event)).close();
          closedByClient.add(event.conn);
          break;
        case "reset":
          (await endpointOf(event)).reset();
          break;
        case "silence": {
          const result = await (await endpointOf(event)).read();
          if (result.kind !== "silence") fail(`no answer on ${event.conn}`, describeRead(result, timeouts));
          break;
        }
        case "exit": {
          // A recorded session ends where the server's process did; nothing is left to replay.
          break;
        }
      }
    }
    if (!transcript.events.some((event) => event.type === "exit")) await expectStillRunning(server);
  } catch (error) {
    // Before the replay hangs up: a server that dies only of that did not crash.
    const blamed = await blameCrash(server, error);
    if (blamed instanceof Violation && decidedOn && at && !decidedOn.includes(at.type))
      throw new NotDecidingDifference(`differs at a ${at.type} event of ${at.conn}, which ${forRule} is not decided on: ${blamed.message}`);
    throw blamed;
  } finally {
    for (const endpoint of endpoints.values()) endpoint.close();
  }
  return { udpRetries };
}
