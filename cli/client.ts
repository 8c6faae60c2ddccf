import { builtInProtocols } from "../protocols/registry.js";
import { chosenProtocol, protocolFolderHelp, protocolFolderOption } from "./protocol-option.js";
import { integerOption, parse, portOption } from "../conformance/usage.js";

const withClient = builtInProtocols.filter((m) => m.client);

export const clientHelp = `Usage: sockspec client <protocol> [options]

An interactive client.
${withClient.map((m) => `  ${m.spec.protocol}: ${m.client!.description}`).join("\n")}

  -h, --host HOST the server's host (default 127.0.0.1)
  -p, --port PORT the server's port (default the protocol's: ${withClient.map((m) => `${m.spec.defaultPort} for ${m.spec.protocol}`).join(", ")})
  -t, --timeout MS how long to wait for a reply (default: the protocol's clientReplyTimeoutMs, or 5000)
${protocolFolderHelp(19)}`;

export async function runClient(args: string[]): Promise<number> {
  const { values, positionals } = parse(
    args,
    { ...protocolFolderOption, host: { type: "string", short: "h" }, port: { type: "string", short: "p" }, timeout: { type: "string", short: "t" } },
    "client",
  );
  const { module } = await chosenProtocol(positionals, values.protocol, "client", (m) => m.client !== undefined);
  return module.client!.run({
    host: values.host ?? "127.0.0.1",
    port: portOption(values.port) ?? module.spec.defaultPort,
    replyTimeoutMs: integerOption("timeout", values.timeout, 1, 600_000),
    input: process.stdin,
    output: process.stdout,
  });
}
