import { createCapitalizerServer } from "../protocols/capitalizer/reference/server.js";
import { capitalizer } from "../protocols/capitalizer/spec/index.js";
import { closeServer, listen } from "../transport/tcp-server.js";
import { bind, closeSocket } from "../transport/udp-server.js";
import { hostPort } from "../transport/address.js";
import { runUntilStopped } from "./foreground.js";
import { limitOptions, parse, portOption, protocolArgument, UsageError } from "./usage.js";
import path from "node:path";
import { createBankServer } from "../protocols/bank/reference/server.js";
import { AccountFileError } from "../protocols/bank/reference/account-file.js";
import { bank } from "../protocols/bank/spec/index.js";
import { createStatusServer } from "../protocols/status/reference/server.js";
import { status } from "../protocols/status/spec/index.js";
import { limitEnvName } from "../spec/protocol.js";

/** The limits each reference server can be run with instead of the spec's (`--limit NAME=N`). */
const servableLimits = {
  capitalizer: ["quota", "idleTimeoutMs", "maxConnections", "maxConnectionsPerAddress"],
  bank: ["challengeTimeoutMs", "throttleWindowMs"],
  status: [],
} as const satisfies Record<string, readonly string[]>;

export const serveHelp = `Usage: sockspec serve <protocol> [options]

Runs the reference server (capitalizer, bank or status) until SIGINT or SIGTERM.

  -h, --host HOST     address to listen on (default 127.0.0.1)
  -p, --port PORT     port to listen on (default: the protocol's: capitalizer ${capitalizer.defaultPort}, bank ${bank.defaultPort},
                      status ${status.defaultPort}; 0 picks a free one)
  --limit NAME=N      run with this limit instead of the spec's, as \`sockspec check --limit\` is told; repeatable;
                      also read from the environment, as the runner passes limits to servers it starts
                      (idleTimeoutMs as ${limitEnvName("idleTimeoutMs")}), --limit winning.
                      capitalizer: ${servableLimits.capitalizer.map((name) => `${name} (${capitalizer.limits[name]})`).join(", ")};
                      bank: ${servableLimits.bank.map((name) => `${name} (${bank.limits[name]})`).join(", ")}
  --data FILE         bank: the account file (default ${bank.defaults.dataFile} in the current folder)`;

/** The limits the environment gives (as the runner does to a server it spawns), checked as --limit options are. */
function limitsFromEnvironment(protocol: string, names: readonly string[]): Record<string, number> {
  const given = names.flatMap((name) => {
    const value = process.env[limitEnvName(name)];
    return value === undefined ? [] : [`${name}=${value}`];
  });
  try {
    return limitOptions(protocol, given, names);
  } catch (error) {
    throw new UsageError(`from the environment: ${(error as Error).message}`);
  }
}

export async function runServe(args: string[]): Promise<number> {
  const { values, positionals } = parse(
    args,
    {
      host: { type: "string", short: "h" },
      port: { type: "string", short: "p" },
      limit: { type: "string", multiple: true },
      data: { type: "string" },
    },
    "serve",
  );
  const protocol = protocolArgument(positionals, ["capitalizer", "bank", "status"], "serve");
  if (protocol !== "bank" && values.data !== undefined) throw new UsageError("--data is for the bank");
  const host = values.host ?? "127.0.0.1";
  const port = portOption(values.port) ?? { capitalizer, bank, status }[protocol].defaultPort;
  const limits = { ...limitsFromEnvironment(protocol, servableLimits[protocol]), ...limitOptions(protocol, values.limit ?? [], servableLimits[protocol]) };
  let close: () => Promise<void>;
  let bound: number;
  try {
    if (protocol === "bank") {
      const socket = await createBankServer({ dataFile: path.resolve(values.data ?? bank.defaults.dataFile), ...limits, host });
      bound = await bind(socket, host, port);
      close = () => closeSocket(socket);
    } else {
      const server = protocol === "status" ? createStatusServer() : createCapitalizerServer({ ...limits, limit: limits.quota });
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
