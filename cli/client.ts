import { runCapitalizerClient } from "../reference/capitalizer/client.js";
import { capitalizer } from "../spec/capitalizer/index.js";
import { parse, portOption, protocolArgument } from "./usage.js";

export const clientHelp = `Usage: sockspec client <protocol> [options]

An interactive client: type a sentence, read the reply. Ctrl+C or the end of input sends the shutdown
request.

  --host HOST    the server's host (default 127.0.0.1)
  --port PORT    the server's port (default ${capitalizer.defaultPort})`;

export async function runClient(args: string[]): Promise<number> {
  const { values, positionals } = parse(args, { host: { type: "string" }, port: { type: "string" } });
  protocolArgument(positionals, ["capitalizer"], "client");
  return runCapitalizerClient({
    host: values.host ?? "127.0.0.1",
    port: portOption(values.port) ?? capitalizer.defaultPort,
    input: process.stdin,
    output: process.stdout,
  });
}
