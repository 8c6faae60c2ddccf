import { hostPort } from "../transport/address.js";
import { builtInProtocols } from "../protocols/registry.js";
import { limitEnvName } from "../spec/protocol.js";
import { runUntilStopped } from "./foreground.js";
import { chosenProtocol, ownOptions, protocolFolderHelp, protocolFolderOption } from "./protocol-option.js";
import { limitOptions, parse, portOption, UsageError } from "../conformance/usage.js";

const indent = " ".repeat(22);
const serverOptions = ownOptions((m) => m.server.options, 22);
const perProtocol = (line: (module: (typeof builtInProtocols)[number]) => string | undefined) =>
  builtInProtocols
    .map((module) => [module.spec.protocol, line(module)])
    .filter(([, text]) => text)
    .map(([name, text]) => `${indent}${name}: ${text}`)
    .join("\n");

export const serveHelp = `Usage: sockspec serve <protocol> [options]

Runs the reference server (${builtInProtocols.map((m) => m.spec.protocol).join(", ")}) until SIGINT or SIGTERM.

  -h, --host HOST     address to listen on (default 127.0.0.1)
  -p, --port PORT     port to listen on (default: the protocol's; 0 picks a free one):
${perProtocol((m) => String(m.spec.defaultPort))}
  --limit NAME=N      run with this limit instead of the spec's, as \`sockspec check --limit\` is told; repeatable;
                      also read from the environment, as the runner passes limits to servers it starts
                      (idleTimeoutMs as ${limitEnvName("idleTimeoutMs")}), --limit winning:
${perProtocol((m) => m.server.limits.map((name) => `${name} (${m.spec.limits[name]})`).join(", ") || undefined)}
${protocolFolderHelp(22)}

The protocols' own options:
${serverOptions.help}`;

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
      ...protocolFolderOption,
      host: { type: "string", short: "h" },
      port: { type: "string", short: "p" },
      limit: { type: "string", multiple: true },
      ...serverOptions.parse,
    },
    "serve",
  );
  const { module } = await chosenProtocol(positionals, values.protocol, "serve");
  const { protocol } = module.spec;
  const options = serverOptions.values(values, module);
  const host = values.host ?? "127.0.0.1";
  const port = portOption(values.port) ?? module.spec.defaultPort;
  const names = module.server.limits;
  const limits = { ...limitsFromEnvironment(protocol, names), ...limitOptions(protocol, values.limit ?? [], names) };
  let server: { port: number; close(): Promise<void> };
  try {
    server = await module.server.start({ host, port, limits, options, workdir: process.cwd() });
  } catch (error) {
    const { code, message } = error as NodeJS.ErrnoException;
    // Bad input either way: an address that cannot be served on, or a file the server cannot use.
    throw new UsageError(code ? `cannot serve on ${hostPort(host, port)} (${code})` : message.split("\n")[0]!);
  }
  const signal = await runUntilStopped(`SERVER READY @ ${hostPort(host, server.port)}`);
  await server.close();
  process.stdout.write(`stopped (${signal})\n`);
  return 0;
}
