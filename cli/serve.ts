import { createCapitalizerServer } from "../reference/capitalizer/server.js";
import { capitalizer } from "../spec/capitalizer/index.js";
import { closeServer, listen } from "../transport/tcp-server.js";
import { bind, closeSocket } from "../transport/udp-server.js";
import { hostPort } from "../transport/address.js";
import { runUntilStopped } from "./foreground.js";
import { integerOption, parse, portOption, protocolArgument, UsageError } from "./usage.js";
import path from "node:path";
import { createBankServer } from "../reference/bank/server.js";
import { AccountFileError } from "../reference/bank/account-file.js";
import { bank } from "../spec/bank/index.js";
import { createStatusServer } from "../reference/status/server.js";
import { status } from "../spec/status/index.js";

export const serveHelp = `Usage: sockspec serve <protocol> [options]

Runs the reference server (capitalizer, bank or status) until SIGINT or SIGTERM.

  -h, --host HOST address to listen on (default 127.0.0.1)
  -p, --port PORT port to listen on (default: the protocol's: capitalizer ${capitalizer.defaultPort}, bank ${bank.defaultPort},
                 status ${status.defaultPort}; 0 picks a free one)
  --limit N      capitalizer: sentences answered before the limit notice (default ${capitalizer.limits.quota})
  --idle-timeout MS
                 capitalizer: close a connection silent for this long (default ${capitalizer.limits.idleTimeoutMs})
  --max-connections N
                 capitalizer: connections served at once; more get the busy notice (default ${capitalizer.limits.maxConnections})
  --max-connections-per-address N
                 capitalizer: connections served at once from one IP address (default ${capitalizer.limits.maxConnectionsPerAddress})
  --data FILE    bank: the account file (default ${bank.defaults.dataFile} in the current folder)
  --challenge-timeout MS
                 bank: how long a challenge waits for its credentials (default ${bank.limits.challengeTimeoutMs})`;

export async function runServe(args: string[]): Promise<number> {
  const { values, positionals } = parse(
    args,
    {
      host: { type: "string", short: "h" },
      port: { type: "string", short: "p" },
      limit: { type: "string" },
      data: { type: "string" },
      "challenge-timeout": { type: "string" },
      "idle-timeout": { type: "string" },
      "max-connections": { type: "string" },
      "max-connections-per-address": { type: "string" },
    },
    "serve",
  );
  const protocol = protocolArgument(positionals, ["capitalizer", "bank", "status"], "serve");
  if (
    protocol !== "capitalizer" &&
    (values.limit ?? values["idle-timeout"] ?? values["max-connections"] ?? values["max-connections-per-address"]) !== undefined
  )
    throw new UsageError("--limit, --idle-timeout, --max-connections and --max-connections-per-address are for the capitalizer");
  if (protocol !== "bank" && (values.data ?? values["challenge-timeout"]) !== undefined)
    throw new UsageError("--data and --challenge-timeout are for the bank");
  const host = values.host ?? "127.0.0.1";
  const port = portOption(values.port) ?? { capitalizer, bank, status }[protocol].defaultPort;
  const limit = integerOption("limit", values.limit, 0, Number.MAX_SAFE_INTEGER);
  const challengeTimeoutMs = integerOption("challenge-timeout", values["challenge-timeout"], 1, 3_600_000);
  const idleTimeoutMs = integerOption("idle-timeout", values["idle-timeout"], 1, 86_400_000);
  const maxConnections = integerOption("max-connections", values["max-connections"], 1, 1_000_000);
  const maxConnectionsPerAddress = integerOption("max-connections-per-address", values["max-connections-per-address"], 1, 1_000_000);
  let close: () => Promise<void>;
  let bound: number;
  try {
    if (protocol === "bank") {
      const socket = await createBankServer({ dataFile: path.resolve(values.data ?? bank.defaults.dataFile), challengeTimeoutMs, host });
      bound = await bind(socket, host, port);
      close = () => closeSocket(socket);
    } else {
      const server = protocol === "status" ? createStatusServer() : createCapitalizerServer({ limit, idleTimeoutMs, maxConnections, maxConnectionsPerAddress });
      bound = await listen(server, host, port);
      close = () => closeServer(server);
    }
  } catch (error) {
    // Bad input either way: an account file that cannot be used, or an address that cannot be served on.
    if (error instanceof AccountFileError) throw new UsageError(`cannot use the account file ${error.message}`);
    throw new UsageError(`cannot serve on ${hostPort(host, port)} (${(error as NodeJS.ErrnoException).code ?? (error as Error).message})`);
  }
  const signal = await runUntilStopped(`SERVER READY @ ${hostPort(host, bound)}`);
  await close();
  process.stdout.write(`stopped (${signal})\n`);
  return 0;
}
