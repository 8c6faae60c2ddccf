import { ConnectionRefusedError, TcpConnection } from "../transport/tcp-connection.js";
import { TranscriptRecorder, eventBytes, formatTranscript, type Transcript, type TranscriptEvent } from "../transport/transcript.js";
import { Violation, type Timeouts } from "./check.js";
import { describeRead } from "./describe.js";
import type { ServerHandle } from "./target.js";

/**
 * Replays a recorded TCP session against a server: the client's events are repeated, and every server
 * event (a message, a close, a refusal) must happen again byte for byte. Throws a Violation at the first
 * difference, with the replay's own transcript.
 */
export async function replayTcp(transcript: Transcript, server: ServerHandle, timeouts: Timeouts): Promise<void> {
  const recorder = new TranscriptRecorder(transcript.protocol);
  const conns = new Map<string, TcpConnection>();
  const fail = (expected: string, actual: string): never => {
    throw new Violation(expected, actual, recorder.transcript());
  };
  const connOf = (event: TranscriptEvent) => conns.get(event.conn) ?? fail(`a fixture that opens ${event.conn} before using it`, formatTranscript(transcript));
  try {
    for (const event of transcript.events) {
      switch (event.type) {
        case "connect":
        case "refused": {
          const opened = await TcpConnection.open(server.host, server.port, event.conn, recorder, timeouts.replyMs).catch((error: unknown) => {
            if (error instanceof ConnectionRefusedError) return undefined;
            throw error;
          });
          if (opened) conns.set(event.conn, opened);
          if (event.type === "connect" && !opened) fail(`${event.conn} to be accepted`, "the connection was refused");
          if (event.type === "refused" && opened) fail(`${event.conn} to be refused`, "the connection was accepted");
          break;
        }
        case "send":
          connOf(event).send(eventBytes(event));
          break;
        case "recv": {
          const expected = eventBytes(event);
          const result = await connOf(event).read({ complete: (bytes) => bytes.equals(expected), timeoutMs: timeouts.replyMs, settleMs: timeouts.settleMs });
          if (result.kind !== "message" || !result.bytes.equals(expected))
            fail(`${event.conn} to receive ${JSON.stringify(expected.toString("utf8"))}`, describeRead(result, timeouts));
          break;
        }
        case "closed": {
          const { closed, bytes } = await connOf(event).waitClosed(timeouts.replyMs);
          if (!closed || bytes.length > 0)
            fail(
              `the server to close ${event.conn}`,
              bytes.length > 0 ? `it sent ${JSON.stringify(bytes.toString("utf8"))}` : `it was still open after ${timeouts.replyMs} ms`,
            );
          break;
        }
        case "close":
          connOf(event).close();
          break;
        case "silence": {
          const result = await connOf(event).read({ timeoutMs: timeouts.replyMs, settleMs: timeouts.settleMs });
          if (result.kind !== "silence") fail(`no answer on ${event.conn}`, describeRead(result, timeouts));
          break;
        }
      }
    }
  } finally {
    for (const conn of conns.values()) conn.close();
  }
}
