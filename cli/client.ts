import { runBankClient } from "../protocols/bank/reference/client.js";
import { runCapitalizerClient } from "../protocols/capitalizer/reference/client.js";
import { bank } from "../protocols/bank/spec/index.js";
import { capitalizer } from "../protocols/capitalizer/spec/index.js";
import { integerOption, parse, portOption, protocolArgument } from "./usage.js";

export const clientHelp = `Usage: sockspec client <protocol> [options]

An interactive client.
  capitalizer: type a sentence, read the reply; Ctrl+C or the end of input sends the shutdown request.
  bank: the original's menu (1 balance, 2 withdraw, 3 deposit); asks for the username and PIN when the
        server challenges.

  -h, --host HOST the server's host (default 127.0.0.1)
  -p, --port PORT the server's port (default ${capitalizer.defaultPort} for the capitalizer, ${bank.defaultPort} for the bank)
  -t, --timeout MS how long to wait for a reply (default 5000)`;

const clients = { capitalizer: runCapitalizerClient, bank: runBankClient };

export async function runClient(args: string[]): Promise<number> {
  const { values, positionals } = parse(
    args,
    { host: { type: "string", short: "h" }, port: { type: "string", short: "p" }, timeout: { type: "string", short: "t" } },
    "client",
  );
  const protocol = protocolArgument(positionals, ["capitalizer", "bank"] as const, "client");
  const spec = protocol === "bank" ? bank : capitalizer;
  return clients[protocol]({
    host: values.host ?? "127.0.0.1",
    port: portOption(values.port) ?? spec.defaultPort,
    replyTimeoutMs: integerOption("timeout", values.timeout, 1, 600_000),
    input: process.stdin,
    output: process.stdout,
  });
}
