import fc from "fast-check";
import type { ProtocolSpec } from "../spec/protocol.js";
import type { Transcript } from "../transport/transcript.js";
import type { ServerHandle, StartOptions, Target } from "./target.js";

/** How a check waits for answers, with every server. */
export interface Timeouts {
  /** How long a correct server may take to answer or to close. */
  replyMs: number;
  /** Once bytes arrived that no correct server would send, how long a pause ends the message. */
  settleMs: number;
  /**
   * UDP: how many times a datagram that got no answer is sent again before the silence counts (0: never).
   * Every resend is in the transcript and counted in the report, never hidden.
   */
  udpRetries: number;
}

/** What a check may use while it runs. */
export interface CheckContext {
  spec: ProtocolSpec;
  target: Target;
  timeouts: Timeouts;
  /** Property runs for this run of the kit (`--runs`); each check scales it to its cost. */
  runs: number;
}

/**
 * One rule's check, in the manner of h2spec's test cases: the rule (statement and level come from the
 * spec's catalogue) plus a fast-check property that falsifies it. A property run fails by throwing a
 * {@link Violation}.
 */
export interface RuleCheck {
  /** The rule's ID in the catalogue. */
  id: string;
  /** Property runs out of the kit's budget: checks that start a server per run take fewer. */
  runs(budget: number): number;
  property(ctx: CheckContext, session: CheckSession): fc.IAsyncPropertyWithHooks<any>;
}

/** Budget scales: a run that costs a message is cheap, a run that starts a server is not. */
export const everyRun = (budget: number) => budget;
export const onePerServer = (budget: number) => Math.max(3, Math.ceil(budget / 10));

/** State a check keeps across its property runs (e.g. how many runs a bare server's quota allowed). */
export interface CheckSession {
  /** Runs that could not reach the server (e.g. its quota was used up); they prove nothing. */
  vacuousRuns: number;
  /** What the check did, counted for its report line (e.g. "hostile datagrams": 3000). */
  counts: Map<string, number>;
  /** Undone by the runner when the check ends, whatever happened. */
  cleanups: Array<() => Promise<void>>;
}

/** Adds to one of a check's counts. */
export function count(session: CheckSession, what: string, n = 1): void {
  session.counts.set(what, (session.counts.get(what) ?? 0) + n);
}

/**
 * A property run's failure: what the rule expected, what the server did, and the session on the wire.
 * It is a timeout when the session ends in silence: what the rule waited for never came.
 */
export class Violation extends Error {
  readonly timedOut: boolean;

  constructor(
    readonly expected: string,
    readonly actual: string,
    readonly transcript?: Transcript,
  ) {
    super(`expected ${expected}, observed ${actual}`);
    this.timedOut = transcript?.events.at(-1)?.type === "silence";
  }
}

/** Starts a fresh server for one property run and stops it afterwards, whatever the run did. */
export async function withFreshServer<T>(target: Target, run: (server: ServerHandle) => Promise<T>, options?: StartOptions): Promise<T> {
  const server = await target.start(options);
  try {
    return await run(server);
  } finally {
    await server.stop();
  }
}

/** A conversation with one server: something that can close every connection or socket it opened. */
export interface Conversation {
  closeAll(): void;
}

/** One property run's conversation with its server, given the input, the server, the check's context and shared state. */
export type ServerRun<S, T> = (session: S, input: T, server: ServerHandle, ctx: CheckContext, checkSession: CheckSession) => Promise<void>;

/**
 * A property whose every run gets a server of its own (or the shared one, against a bare host/port) and a
 * new conversation with it, closed when the run ends.
 */
export function serverProperty<S extends Conversation, T>(
  inputs: fc.Arbitrary<T>,
  open: (server: ServerHandle, timeouts: Timeouts, checkSession: CheckSession) => S,
  run: ServerRun<S, T>,
): RuleCheck["property"] {
  return (ctx, checkSession) =>
    fc.asyncProperty(inputs, (input) =>
      withFreshServer(ctx.target, (server) => converse(open(server, ctx.timeouts, checkSession), (session) => run(session, input, server, ctx, checkSession))),
    );
}

/** Runs a conversation and closes everything it opened, whatever happened. */
export async function converse<S extends Conversation, T>(session: S, run: (session: S) => Promise<T>): Promise<T> {
  try {
    return await run(session);
  } finally {
    session.closeAll();
  }
}
