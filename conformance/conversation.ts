import type { TranscriptRecorder } from "../transport/transcript.js";
import { Violation, type Timeouts } from "./check.js";
import type { Observed } from "./describe.js";

/**
 * One property run's conversation with a server, the base of each protocol's: what it opens is closed when
 * the run ends, everything on the wire is recorded, and a failure it finds is a Violation that carries
 * that record.
 */
export abstract class Conversation {
  constructor(
    /** How long the server may take to answer, and how long a pause ends a message. */
    readonly timeouts: Timeouts,
    /** The record of the wire; conversations with successive servers (a restart) may share one. */
    readonly recorder: TranscriptRecorder,
  ) {}

  /** Fails the run: what the rule expected, what the server did instead, and the conversation so far. */
  fail(expected: string, observed: Observed): never {
    return failing(this.timeouts, this.recorder)(expected, observed);
  }

  /** Closes every connection or socket it opened. */
  abstract closeAll(): void;
}

/**
 * The failure of a conversation recorded by `recorder`, for a check that holds no Conversation of its own
 * (a fixture's replay, a crash test whose conversations span restarts): one way to build a Violation.
 */
export const failing =
  (timeouts: Timeouts, recorder: TranscriptRecorder) =>
  (expected: string, observed: Observed): never => {
    throw Violation.of(expected, observed, timeouts, recorder.transcript());
  };
