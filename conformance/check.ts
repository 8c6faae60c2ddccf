import fc from "fast-check";
import type { ProtocolSpec } from "../spec/protocol.js";
import { TranscriptRecorder, type Transcript } from "../transport/transcript.js";
import { observation, type Observed } from "./describe.js";
import type { Timeouts } from "./timeouts.js";
import { describeExit, exitEvent, exitInWords, NotCheckableError, type ServerExit, type ServerHandle, type StartOptions, type Target } from "./target.js";

export type { Timeouts } from "./timeouts.js";

/** How much of each payload a report's transcript keeps: enough to read, bounded whatever a server sends. */
export const REPORTED_PAYLOAD_BYTES = 4096;

/** The recorder of a check's session: it keeps the first REPORTED_PAYLOAD_BYTES of a payload and its size. */
export const checkRecorder = (protocol: string) => new TranscriptRecorder(protocol, REPORTED_PAYLOAD_BYTES);

/** What a check may use while it runs. */
export interface CheckContext {
  spec: ProtocolSpec;
  target: Target;
  timeouts: Timeouts;
  /** Property runs for this run of the kit (`--runs`); each check scales it to its cost. */
  runs: number;
  /** Says that the check starts something long, such as waiting out a limit, so that the wait is explained. */
  waiting?(what: string, ms: number): void;
}

/**
 * One rule's check as the runner runs it: the rule (statement and level come from the spec's catalogue),
 * its share of the run budget, and a fast-check property that falsifies it. Written as a definition
 * (`defineChecks` in define-check.ts); a property run fails by throwing a {@link Violation}.
 */
export interface RuleCheck<Id extends string = string> {
  /** The rule's ID in the catalogue (a protocol's generated RuleId type, so that a rule it lacks does not compile). */
  id: Id;
  /** Property runs out of the kit's budget (`--runs`): checks that start a server per run take fewer. */
  runs(budget: number): number;
  /** How long one run waits out a limit, at least, given the limits the server runs with: such rules start first. */
  waitsMs?(limits: Readonly<Record<string, number>>): number;
  property(ctx: CheckContext, state: RuleState): fc.IAsyncPropertyWithHooks<any>;
}

/** State a rule's check keeps across its property runs (e.g. how many runs a bare server's quota allowed); a conversation with a server is a session. */
export interface RuleState {
  /** Runs that could not reach the server (e.g. its quota was used up); they prove nothing. */
  vacuousRuns: number;
  /** What the check did, counted for its report line (e.g. "malformed datagrams": 3000). */
  counts: Map<string, number>;
  /** Undone by the runner when the check ends, whatever happened. */
  cleanups: Array<() => Promise<void>>;
}

/** Adds to one of a check's counts. */
export function count(state: RuleState, what: string, n = 1): void {
  state.counts.set(what, (state.counts.get(what) ?? 0) + n);
}

/** How a check failed: the server answered wrongly, said nothing in time, or its process ended. */
export type FailureKind = "wrong" | "silence" | "crash";

/**
 * A property run's failure: what the rule expected, what the server did, and the session on the wire. Its
 * kind follows from what was seen: a crash when the server's process had ended, silence when what the
 * rule waited for never came, otherwise a wrong answer.
 */
export class Violation extends Error {
  constructor(
    readonly expected: string,
    readonly actual: string,
    readonly transcript?: Transcript,
    readonly how: { silence?: boolean; exit?: ServerExit } = {},
  ) {
    super(`expected ${expected}, observed ${actual}`);
  }

  /**
   * Whether the server's exit was looked for when the violation was seen, before the kit closed anything: a
   * server that dies only once the kit hangs up on it did not crash during the run, and is never blamed.
   */
  exitLookedFor = false;

  /** A violation from an observation: a read's result, words, or a silence. */
  static of(expected: string, observed: Observed, timeouts: Timeouts, transcript?: Transcript): Violation {
    const { actual, silence } = observation(observed, timeouts);
    return new Violation(expected, actual, transcript, { silence });
  }

  get exit(): ServerExit | undefined {
    return this.how.exit;
  }

  get kind(): FailureKind {
    if (this.how.exit) return "crash";
    return this.how.silence ? "silence" : "wrong";
  }

  /** The same violation, blamed on the server's crash: named in `actual` and at the end of the transcript. */
  crashed(exit: ServerExit): Violation {
    const transcript = this.transcript && { ...this.transcript, events: [...this.transcript.events, exitEvent(exit)] };
    return new Violation(this.expected, `${this.actual}: ${describeExit(exit)}`, transcript, { exit });
  }
}

/**
 * Runs part of a check against a server and, when it fails while the server's process has ended (a
 * crash, not a stop or kill of the check's own), names the crash instead of the silence or close it
 * caused.
 */
export async function blamingCrash<T>(server: ServerHandle, run: () => Promise<T>): Promise<T> {
  try {
    return await run();
  } catch (error) {
    throw await blameCrash(server, error);
  }
}

/**
 * The error, or the same violation with the server's crash named when its process had ended. Called before
 * the kit closes anything of the run's: once it has looked, a later look (after the kit hung up) changes
 * nothing.
 */
export async function blameCrash(server: ServerHandle, error: unknown): Promise<unknown> {
  if (!(error instanceof Violation) || error.exit || error.exitLookedFor || !server.exited) return error;
  // The close of a dying server's sockets can come a moment before its exit is known.
  const exit = await server.exited(EXIT_GRACE_MS);
  if (exit) return error.crashed(exit);
  error.exitLookedFor = true;
  return error;
}

/** How long a check waits for a server's exit to be known after its sockets went quiet or closed. */
export const EXIT_GRACE_MS = 200;
/**
 * How long a run that found nothing wrong waits for the server's exit to be known before the kit closes
 * anything: a server that dies as it closes a connection (one that serves one client, say) is caught in
 * the act, and a live one costs only this.
 */
export const PASSED_RUN_EXIT_GRACE_MS = 50;

/**
 * A run that found nothing wrong, during which the server's process crashed: it shows nothing about the
 * rule either way (the crash is for the rule whose input caused it to judge), so it does not count as a run.
 */
export class ServerEndedError extends NotCheckableError {
  constructor(readonly exit: ServerExit) {
    super(`${exitInWords(exit)} during the run`);
  }
}

/**
 * Every run, passing ones included, ends by looking for the server's exit: a ServerEndedError when it
 * crashed (a close its crash caused shows nothing of the server's choice). A server that exited with code 0
 * ended of its own accord, after what the run saw: that stands, and its exit is for the rules about
 * serving later clients to judge.
 */
export async function expectStillRunning(server: ServerHandle): Promise<void> {
  const exit = await server.exited?.(PASSED_RUN_EXIT_GRACE_MS);
  if (exit && !(exit.code === 0 && exit.signal === null)) throw new ServerEndedError(exit);
}

/** Starts a fresh server for one property run and stops it afterwards, whatever the run did. */
export async function withFreshServer<T>(target: Target, run: (server: ServerHandle) => Promise<T>, options?: StartOptions): Promise<T> {
  const server = await target.start(options);
  try {
    return await blamingCrash(server, () => run(server));
  } finally {
    await server.stop();
  }
}

/** What a property run opens with its server: something that can close every connection or socket it opened. */
export interface Closable {
  closeAll(): void;
  /** Looks once more when the run has done everything without failing: at what came unasked, say. */
  lastLook?(): Promise<void>;
}

/**
 * Runs a conversation, gives it its last look, and closes everything it opened, whatever happened. With
 * the server, its exit is looked for before anything is closed: a failure is blamed on a crash only when
 * the server died during the run, and a run that found nothing else does not count when it crashed.
 */
export async function runConversation<S extends Closable, T>(session: S, run: (session: S) => Promise<T>, server?: ServerHandle): Promise<T> {
  try {
    const result = await run(session);
    await session.lastLook?.();
    if (server) await expectStillRunning(server);
    return result;
  } catch (error) {
    throw server ? await blameCrash(server, error) : error;
  } finally {
    session.closeAll();
  }
}
