import { createCapitalizerServer } from "../reference/capitalizer/server.js";
import { capitalizer } from "../spec/capitalizer/index.js";
import { closeServer, listen } from "../transport/tcp-server.js";
import { integerOption, parse, portOption, protocolArgument } from "./usage.js";

export const serveHelp = `Usage: sockspec serve <protocol> [options]

Runs the reference server until SIGINT or SIGTERM.

  --host HOST    address to listen on (default 127.0.0.1)
  --port PORT    port to listen on (default: the protocol's, ${capitalizer.defaultPort}; 0 picks a free one)
  --limit N      capitalizer: sentences answered before the limit notice (default ${capitalizer.limits.quota})`;

export async function runServe(args: string[]): Promise<number> {
  const { values, positionals } = parse(args, { host: { type: "string" }, port: { type: "string" }, limit: { type: "string" } });
  protocolArgument(positionals, ["capitalizer"], "serve");
  const host = values.host ?? "127.0.0.1";
  const port = portOption(values.port) ?? capitalizer.defaultPort;
  const limit = integerOption("limit", values.limit, 0, Number.MAX_SAFE_INTEGER);
  const server = createCapitalizerServer({ limit });
  let bound: number;
  try {
    bound = await listen(server, host, port);
  } catch (error) {
    process.stderr.write(`sockspec serve: cannot listen on ${host}:${port} (${(error as NodeJS.ErrnoException).code ?? (error as Error).message})\n`);
    return 1;
  }
  process.stdout.write(`SERVER READY @ ${host.includes(":") ? `[${host}]` : host}:${bound}\n`);
  const signal = await new Promise<NodeJS.Signals>((resolve) => {
    process.once("SIGINT", resolve);
    process.once("SIGTERM", resolve);
  });
  await closeServer(server);
  process.stdout.write(`stopped (${signal})\n`);
  return 0;
}
