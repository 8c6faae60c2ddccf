import { createHistogram } from "node:perf_hooks";
import { setTimeout as sleep } from "node:timers/promises";

/** How one request-and-answer went. A wrong answer counts as an error: a fast wrong server is not fast. */
export type Exchange =
  | { kind: "ok" }
  /** `overflow`: the answer went on past the workload's byte cap, `actual` holds its first bytes, and the bench hung up. */
  | { kind: "wrong"; expected: string; actual: string; overflow?: true }
  | { kind: "timeout" }
  /**
   * The server will answer this client no more (a quota used up, a closed connection): why, in words, and
   * whether the server said so (a notice is an answer; a refused or closed connection is not).
   */
  | { kind: "ended"; reason: string; answered?: true };

/** One simulated client: a TCP connection or a UDP socket, asking one request at a time. */
export interface LoadClient {
  exchange(): Promise<Exchange>;
  /**
   * Answers that came after their request had timed out, so far: never taken for a later request's answer,
   * and never right.
   */
  late?(): number;
  close(): void;
}

/** What the load consists of, for one protocol. */
export interface Workload {
  protocol: string;
  /** The kind of request, e.g. "sentences", "balance", "deposit". */
  name: string;
  open(index: number): Promise<LoadClient>;
  /**
   * A check over the whole run once it is over (the bank: the balance moved by exactly the acknowledged
   * deposits, give or take those whose outcome is unknown: timed out or answered wrong); returns what went
   * wrong, or undefined.
   */
  verify?(counts: { ok: number; errors: number; timeouts: number }): Promise<string | undefined>;
}

export interface LoadOptions {
  /** Clients (TCP connections, UDP sockets) asking at once, each waiting for its answer before asking again. */
  clients: number;
  /** Load sent first and not counted, while both sides warm up (JIT, caches, connection buffers). */
  warmupMs?: number;
  /** Stop after this long (after the warm-up)... */
  durationMs?: number;
  /** ...or after this many requests in all. */
  requests?: number;
  /** How long an answer may take before it counts as a timeout. */
  timeoutMs: number;
  /**
   * Requests per second in all, spread evenly over the clients (as wrk2 does). Without it every client
   * asks again as soon as it is answered, which measures throughput; latency at saturation is mostly
   * queueing, so latency targets are measured at a set rate. A late request is counted from when it was due.
   */
  rate?: number;
  /** Called about once a second with the counts so far (of the measured part, after the warm-up). */
  onProgress?(progress: LoadProgress): void;
}

export interface LoadProgress {
  warming: boolean;
  /** Seconds since the run (or, after the warm-up, the measured part) started. */
  seconds: number;
  ok: number;
  errors: number;
  timeouts: number;
}

export interface LoadResult {
  protocol: string;
  workload: string;
  clients: number;
  /** The set rate, if the run had one. */
  rate?: number;
  /** Requests answered correctly. */
  ok: number;
  /** Wrong answers, with up to three examples. */
  errors: number;
  examples: WrongExample[];
  /** Requests not answered within the timeout, and those still unanswered when the run was ended (STOP_SLACK_MS). */
  timeouts: number;
  /** Answers that came after their request had timed out (counted among the timeouts, never as right). */
  late: number;
  seconds: number;
  /** Correct answers per second. */
  throughput: number;
  /** Latency of the correct answers, in milliseconds. */
  latencyMs: { p50: number; p90: number; p99: number; max: number; mean: number };
  /** Requests the server answered at all, right or wrong, over the whole run (warm-up included): 0 means it was never reached. */
  answered: number;
  /** Why clients stopped before the run's end (the server's quota, closed connections), if any did. */
  cutShort?: string;
  /** What the whole-run check found wrong, if anything. */
  verifyError?: string;
}

/** A wrong answer as reported: its first EXAMPLE_CHARS characters, and its whole size when that is more. */
export interface WrongExample {
  expected: string;
  actual: string;
  /** The answer's whole size in bytes, when `actual` holds only its beginning. */
  size?: number;
  /** The answer went on past the workload's byte cap: `size` is where the bench stopped reading. */
  overflow?: true;
}

const EXAMPLES = 3;

/** How much of a wrong answer an example keeps: enough to see what the server said, bounded whatever it sent. */
export const EXAMPLE_CHARS = 200;

/**
 * Past the duration, how much longer than the timeout a request still in flight is waited for: each
 * exchange is bounded by its own timeouts, and this ends the run even if one is not. What is unanswered
 * then has taken longer than the timeout, and counts as a timeout.
 */
export const STOP_SLACK_MS = 1000;

function example(expected: string, actual: string, overflow: boolean): WrongExample {
  const size = Buffer.byteLength(actual);
  if (actual.length <= EXAMPLE_CHARS && !overflow) return { expected, actual };
  return { expected, actual: actual.slice(0, EXAMPLE_CHARS), size, ...(overflow ? { overflow: true as const } : {}) };
}

/**
 * Runs a closed-loop load, like wrk: every client sends a request, waits for the answer (or its timeout),
 * checks it, and sends the next, until the duration or the request count is reached. Latencies go into
 * Node's HDR histogram (perf_hooks), in nanoseconds. A run with a duration ends at most the timeout plus
 * STOP_SLACK_MS after it, whatever the server does.
 */
export async function runLoad(workload: Workload, options: LoadOptions): Promise<LoadResult> {
  const opened = await Promise.allSettled(Array.from({ length: options.clients }, (_, i) => workload.open(i)));
  const failed = opened.find((o) => o.status === "rejected");
  if (failed) {
    // Those that did open are closed, so that nothing keeps the process alive after the error.
    for (const o of opened) if (o.status === "fulfilled") o.value.close();
    throw failed.reason;
  }
  const clients = opened.map((o) => (o as PromiseFulfilledResult<LoadClient>).value);
  const histogram = createHistogram();
  const result = { ok: 0, errors: 0, timeouts: 0, examples: [] as WrongExample[] };
  const endings = new Map<string, number>();
  /** Over the whole run, warm-up included: what the whole-run check must account for. */
  const whole = { ok: 0, errors: 0, timeouts: 0 };
  let answered = 0;
  let issued = 0;
  let stopped = false;
  /** Exchanges under way; once the run is given up on (`over`), they count as timeouts and what they bring is ignored. */
  let inFlight = 0;
  let over = false;
  let giveUp = () => {};
  const givenUp = new Promise<void>((resolve) => (giveUp = resolve));
  const lateSoFar = () => clients.reduce((sum, client) => sum + (client.late?.() ?? 0), 0);
  let lateBefore = 0;
  const start = process.hrtime.bigint();
  let measuredFrom = start;
  let warming = (options.warmupMs ?? 0) > 0;
  const timers: NodeJS.Timeout[] = [];
  const measure = () => {
    warming = false;
    histogram.reset();
    Object.assign(result, { ok: 0, errors: 0, timeouts: 0, examples: [] });
    issued = 0;
    lateBefore = lateSoFar();
    measuredFrom = process.hrtime.bigint();
    const stop = () => {
      stopped = true;
      timers.push(setTimeout(giveUp, options.timeoutMs + STOP_SLACK_MS));
    };
    if (options.durationMs !== undefined) timers.push(setTimeout(stop, options.durationMs));
  };
  if (warming) timers.push(setTimeout(measure, options.warmupMs));
  else measure();
  if (options.onProgress) {
    const report = options.onProgress;
    const seconds = () => Math.round(Number(process.hrtime.bigint() - measuredFrom) / 1e9);
    const progress = setInterval(() => report({ warming, seconds: seconds(), ok: result.ok, errors: result.errors, timeouts: result.timeouts }), 1000);
    progress.unref();
    timers.push(progress);
  }
  const mayAsk = () => !stopped && (warming || options.requests === undefined || issued < options.requests);

  const interval = options.rate !== undefined ? BigInt(Math.round((1e9 * options.clients) / options.rate)) : 0n;

  async function drive(client: LoadClient, index: number): Promise<void> {
    let due = start + (interval * BigInt(index)) / BigInt(options.clients);
    while (mayAsk()) {
      issued++;
      const now = process.hrtime.bigint();
      let started = now;
      if (interval > 0n && due > now) {
        await sleep(Number((due - now + 999_999n) / 1_000_000n));
        if (stopped) return;
        started = process.hrtime.bigint();
      } else if (interval > 0n) {
        // Behind schedule: counted from when it was due, so a server that stalls is not excused by the
        // requests it delayed (coordinated omission).
        started = due;
      }
      due += interval;
      inFlight++;
      const exchange = await client.exchange();
      if (over) return;
      inFlight--;
      if (exchange.kind === "ok" || exchange.kind === "wrong" || (exchange.kind === "ended" && exchange.answered)) answered++;
      if (exchange.kind === "ok") {
        histogram.record(process.hrtime.bigint() - started || 1n);
        result.ok++;
        whole.ok++;
      } else if (exchange.kind === "wrong") {
        result.errors++;
        whole.errors++;
        if (result.examples.length < EXAMPLES) result.examples.push(example(exchange.expected, exchange.actual, exchange.overflow === true));
      } else if (exchange.kind === "timeout") {
        result.timeouts++;
        whole.timeouts++;
      } else {
        endings.set(exchange.reason, (endings.get(exchange.reason) ?? 0) + 1);
        return;
      }
    }
  }

  let late = 0;
  try {
    await Promise.race([Promise.all(clients.map(drive)), givenUp]);
    over = true;
    result.timeouts += inFlight;
    whole.timeouts += inFlight;
    late = lateSoFar() - lateBefore;
  } finally {
    over = true;
    for (const timer of timers) clearTimeout(timer); // clearTimeout clears intervals too
    for (const client of clients) client.close();
  }
  const seconds = Number(process.hrtime.bigint() - measuredFrom) / 1e9;
  const ms = (ns: number) => (Number.isFinite(ns) ? Math.round(ns / 1e3) / 1e3 : 0);
  const cutShort = [...endings].map(([reason, count]) => `${count} of ${options.clients} clients: ${reason}`).join("; ");
  const verifyError = await workload.verify?.(whole);
  return {
    protocol: workload.protocol,
    workload: workload.name,
    clients: options.clients,
    ...(options.rate !== undefined ? { rate: options.rate } : {}),
    ...result,
    late,
    answered,
    seconds: Math.round(seconds * 1000) / 1000,
    throughput: Math.round(result.ok / seconds),
    latencyMs: {
      p50: ms(histogram.percentile(50)),
      p90: ms(histogram.percentile(90)),
      p99: ms(histogram.percentile(99)),
      max: ms(histogram.max),
      mean: ms(histogram.mean),
    },
    ...(cutShort ? { cutShort } : {}),
    ...(verifyError ? { verifyError } : {}),
  };
}
