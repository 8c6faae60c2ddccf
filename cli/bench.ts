import { spawnTarget } from "../conformance/spawn.js";
import type { ServerHandle } from "../conformance/target.js";
import { runLoad, STOP_SLACK_MS, type LoadProgress } from "../load/driver.js";
import { ConnectionRefusedError } from "../transport/tcp-connection.js";
import { hostPort } from "../transport/address.js";
import { formatLoad } from "../load/format.js";
import { serveCommand } from "../conformance/reference-target.js";
import { serverTransport } from "../protocols/protocol-module.js";
import { chosenProtocol, ownOptions, protocolFolderHelp, protocolFolderOption } from "./protocol-option.js";
import { integerOption, parse, portOption, UsageError } from "../conformance/usage.js";

const loadOptions = ownOptions((m) => m.load?.options, 22);

export const benchHelp = `Usage: sockspec bench <protocol> [options]

A load generator: clients that each send a request, check the answer and send the next, like wrk.
Reports right and wrong answers, timeouts, throughput and latency percentiles. With neither --port nor
--spawn it starts the reference server as a process of its own (the capitalizer's quota raised).

  -h, --host HOST     the server's host (default 127.0.0.1)
  -p, --port PORT     load a running server
  --spawn CMD         start the server with CMD (HOST and PORT in its environment, {host} and {port} replaced)
  -c, --clients N     clients at once (default 32): a TCP connection each for the capitalizer and status
                      (a status client keeps its connection alive and cycles through the codes), a UDP
                      socket each for the bank
  --warmup S          send load for S seconds first, not counted (default 1; 0 for none)
  -d, --duration S    run for S seconds after the warm-up (default 5)
  --requests N        stop after N requests in all instead
  --rate R            R requests per second in all, spread over the clients (default: as fast as answered);
                      latency is best measured at a set rate, as at full speed it is mostly queueing
  -t, --timeout MS    how long a whole answer may take before it counts as a timeout (default 1000); an
                      answer that comes later is never taken for a later request's (the bank counts it
                      as late)
  --json              print the result as JSON
${protocolFolderHelp(22)}

The protocols' own options:
${loadOptions.help}

On a terminal a line of counts is updated every second (on stderr); elsewhere one line says what starts.

Whatever the server does, a run of --duration S ends at most the timeout plus ${STOP_SLACK_MS / 1000} s after the warm-up
and S (a request still unanswered then counts as a timeout); an answer is read up to a byte cap, past
which the bench hangs up and counts it wrong; a wrong answer is shown by its beginning and its size.

Exit code: 0 when no answer was wrong (timeouts are reported, as wrk does), 1 when one was, 2 for a bad
command line or a server that cannot be reached or answered nothing.`;

/** The counts so far, on one line rewritten in place. */
function showProgress({ warming, seconds, ok, errors, timeouts }: LoadProgress): void {
  const counts = warming ? "warming up" : `${seconds} s: ${ok} right, ${errors} wrong, ${timeouts} timed out`;
  process.stderr.write(`\r\x1b[K${counts}`);
}

export async function runBench(args: string[]): Promise<number> {
  const { values, positionals } = parse(
    args,
    {
      host: { type: "string", short: "h" },
      port: { type: "string", short: "p" },
      spawn: { type: "string" },
      clients: { type: "string", short: "c" },
      duration: { type: "string", short: "d" },
      requests: { type: "string" },
      rate: { type: "string" },
      warmup: { type: "string" },
      ...protocolFolderOption,
      timeout: { type: "string", short: "t" },
      json: { type: "boolean", default: false },
      ...loadOptions.parse,
    },
    "bench",
  );
  const { module } = await chosenProtocol(positionals, values.protocol, "bench", (m) => m.load !== undefined);
  const { protocol } = module.spec;
  const load = module.load!;
  const own = loadOptions.values(values, module);
  if (values.port !== undefined && values.spawn !== undefined) throw new UsageError("give either --port or --spawn, not both");
  if (values.duration !== undefined && values.requests !== undefined) throw new UsageError("give either --duration or --requests, not both");
  const host = values.host ?? "127.0.0.1";
  const port = portOption(values.port);
  if (port === 0) throw new UsageError("--port must name the port the server listens on, not 0");
  const clients = integerOption("clients", values.clients, 1, 10_000) ?? 32;
  const requests = integerOption("requests", values.requests, 1, Number.MAX_SAFE_INTEGER);
  const durationS = integerOption("duration", values.duration, 1, 86_400);
  const timeoutMs = integerOption("timeout", values.timeout, 1, 600_000) ?? 1000;
  const rate = integerOption("rate", values.rate, 1, 10_000_000);
  const warmupS = integerOption("warmup", values.warmup, 0, 3600) ?? 1;

  const command = values.spawn ?? (port === undefined ? serveCommand(module, load.serveLimits ?? {}) : undefined);
  let server: ServerHandle;
  try {
    server =
      command !== undefined
        ? await spawnTarget(command, { host, transport: serverTransport(module.spec) }).start()
        : { host, port: port!, stop: async () => {} };
  } catch (error) {
    throw new UsageError((error as Error).message.split("\n")[0]!);
  }
  const target =
    values.spawn !== undefined
      ? `spawn: ${values.spawn}`
      : port !== undefined
        ? `${host}:${port}`
        : `the reference server (sockspec serve ${protocol}, its own process)`;
  try {
    const workload = await load.workload(server, timeoutMs, own);
    const measured = requests !== undefined ? `${requests} requests` : `${durationS ?? 5} s`;
    process.stderr.write(`sockspec bench: ${clients} ${protocol} clients against ${target}, ${warmupS} s of warm-up then ${measured}\n`);
    const result = await runLoad(workload, {
      clients,
      timeoutMs,
      rate,
      warmupMs: warmupS * 1000,
      ...(requests !== undefined ? { requests } : { durationMs: (durationS ?? 5) * 1000 }),
      ...(process.stderr.isTTY ? { onProgress: showProgress } : {}),
    }).catch((error: unknown) => {
      if (error instanceof ConnectionRefusedError) throw new UsageError(`cannot reach ${hostPort(server.host, server.port)} (${error.code})`);
      throw error;
    });
    if (process.stderr.isTTY) process.stderr.write("\n");
    if (result.answered === 0) {
      const late = result.late > 0 ? `; ${result.late} answers came after it` : "";
      throw new UsageError(
        `${hostPort(server.host, server.port)} answered nothing in ${result.seconds} s (${result.cutShort ?? `every request timed out after ${timeoutMs} ms${late}`})`,
      );
    }
    process.stdout.write(values.json ? `${JSON.stringify({ target, ...result }, null, 2)}\n` : `${formatLoad(result, target)}\n`);
    return result.errors > 0 || result.verifyError ? 1 : 0;
  } finally {
    await server.stop();
  }
}
