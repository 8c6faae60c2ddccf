import { createHistogram } from "node:perf_hooks";
import { setTimeout as sleep } from "node:timers/promises";

/** How one request-and-answer went. A wrong answer counts as an error: a fast wrong server is not fast. */
export type Exchange =
  | { kind: "ok" }
  | { kind: "wrong"; expected: string; actual: string }
  | { kind: "timeout" }
  /**
   * The server will answer this client no more (a quota used up, a closed connection): why, in words, and
   * whether the server said so (a notice is an answer; a refused or closed connection is not).
   */
  | { kind: "ended"; reason: string; answered?: true };

/** One simulated client: a TCP connection or a UDP socket, asking one request at a time. */
export interface LoadClient {
  exchange(): Promise<Exchange>;
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
   * deposits); returns what went wrong, or undefined.
   */
  verify?(counts: { ok: number; timeouts: number }): Promise<string | undefined>;
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
  examples: { expected: string; actual: string }[];
  timeouts: number;
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

const EXAMPLES = 3;

/**
 * Runs a closed-loop load, like wrk: every client sends a request, waits for the answer (or its timeout),
 * checks it, and sends the next, until the duration or the request count is reached. Latencies go into
 * Node's HDR histogram (perf_hooks), in nanoseconds.
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
  const result = { ok: 0, errors: 0, timeouts: 0, examples: [] as LoadResult["examples"] };
  const endings = new Map<string, number>();
  /** Over the whole run, warm-up included: what the whole-run check must account for. */
  const whole = { ok: 0, timeouts: 0 };
  let answered = 0;
  let issued = 0;
  let stopped = false;
  const start = process.hrtime.bigint();
  let measuredFrom = start;
  let warming = (options.warmupMs ?? 0) > 0;
  const timers: NodeJS.Timeout[] = [];
  const measure = () => {
    warming = false;
    histogram.reset();
    Object.assign(result, { ok: 0, errors: 0, timeouts: 0, examples: [] });
    issued = 0;
    measuredFrom = process.hrtime.bigint();
    if (options.durationMs !== undefined) timers.push(setTimeout(() => (stopped = true), options.durationMs));
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
      const exchange = await client.exchange();
      if (exchange.kind === "ok" || exchange.kind === "wrong" || (exchange.kind === "ended" && exchange.answered)) answered++;
      if (exchange.kind === "ok") {
        histogram.record(process.hrtime.bigint() - started || 1n);
        result.ok++;
        whole.ok++;
      } else if (exchange.kind === "wrong") {
        result.errors++;
        if (result.examples.length < EXAMPLES) result.examples.push({ expected: exchange.expected, actual: exchange.actual });
      } else if (exchange.kind === "timeout") {
        result.timeouts++;
        whole.timeouts++;
      } else {
        endings.set(exchange.reason, (endings.get(exchange.reason) ?? 0) + 1);
        return;
      }
    }
  }

  try {
    await Promise.all(clients.map(drive));
  } finally {
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
