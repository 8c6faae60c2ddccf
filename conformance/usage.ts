import { parseArgs, type ParseArgsConfig } from "node:util";
import { serverOf } from "../transport/address.js";

/** A bad command line: the CLI prints the message on one line and exits with 2. */
export class UsageError extends Error {}

type Options = NonNullable<ParseArgsConfig["options"]>;

/** Options of earlier versions, and what says the same now. */
const RENAMED: Record<string, string> = {
  "--idle-timeout": "--limit idleTimeoutMs=MS",
  "--max-connections": "--limit maxConnections=N",
  "--max-connections-per-address": "--limit maxConnectionsPerAddress=N",
  "--challenge-timeout": "--limit challengeTimeoutMs=MS",
  "--target": "--host HOST --port PORT",
  "--listen": "--proxy-port PORT",
  "--connections": "--clients N",
};

/** parseArgs in strict mode, its errors turned into UsageErrors in the user's words. */
export function parse<T extends Options>(
  args: string[],
  options: T,
  command = "",
): ReturnType<typeof parseArgs<{ args: string[]; options: T; strict: true; allowPositionals: true }>> {
  try {
    return parseArgs({ args, options, strict: true, allowPositionals: true });
  } catch (error) {
    const { code, message } = error as { code?: string; message: string };
    const option = /'(-[^' ]+)/.exec(message)?.[1];
    const help = `sockspec ${command ? `${command} ` : ""}--help lists the options`;
    const renamed = option === undefined ? undefined : RENAMED[option.split("=")[0]!];
    if (code === "ERR_PARSE_ARGS_UNKNOWN_OPTION" && renamed) throw new UsageError(`unknown option ${option}: it is now ${renamed} (${help})`);
    if (code === "ERR_PARSE_ARGS_UNKNOWN_OPTION") throw new UsageError(`unknown option ${option} (${help})`);
    // A value that starts with "-" looks like an option: --port -1.
    if (code === "ERR_PARSE_ARGS_INVALID_OPTION_VALUE" && /ambiguous/.test(message))
      throw new UsageError(`${option} needs a value; for one that starts with "-", write ${option}=VALUE`);
    if (code === "ERR_PARSE_ARGS_INVALID_OPTION_VALUE") throw new UsageError(`${message.split("\n")[0]} (${help})`);
    throw new UsageError(message.split("\n")[0]!);
  }
}

/** An integer option within bounds, or undefined when absent. */
export function integerOption(name: string, value: string | undefined, min: number, max: number): number | undefined {
  if (value === undefined) return undefined;
  const n = Number(value);
  if (!/^-?\d+$/.test(value) || !Number.isSafeInteger(n) || n < min || n > max) {
    throw new UsageError(`--${name} must be an integer from ${min} to ${max}, got "${value}"`);
  }
  return n;
}

/** A port option (`--port`, or another named one), 0 to 65535, or undefined when absent. */
export const portOption = (value: string | undefined, name = "port") => integerOption(name, value, 0, 65535);

/**
 * The bounds of a limit's value: a duration at most a day (timers overflow past 24.8 days), a quota any
 * count (0 answers nothing), another count from 1 to a million.
 */
function limitBounds(name: string): [number, number] {
  if (name.endsWith("Ms")) return [1, 86_400_000];
  return name === "quota" ? [0, Number.MAX_SAFE_INTEGER] : [1, 1_000_000];
}

/**
 * `--limit NAME=N` options (check and serve alike), each naming one of the protocol's limits `names`; the
 * problem `limitsProblem` finds with them, if any, is a usage error too.
 */
export function limitOptions(
  protocol: string,
  given: readonly string[],
  names: readonly string[],
  limitsProblem?: (limits: Readonly<Record<string, number>>) => string | undefined,
): Record<string, number> {
  const limits: Record<string, number> = {};
  for (const option of given) {
    const [, name, value] = /^(\w+)=(.*)$/.exec(option) ?? [];
    if (name === undefined || !names.includes(name))
      throw new UsageError(`--limit takes NAME=N with NAME one of: ${names.join(", ") || `(none for ${protocol})`}; got "${option}"`);
    limits[name] = integerOption(`limit ${name}`, value, ...limitBounds(name))!;
  }
  const problem = limitsProblem?.(limits);
  if (problem) throw new UsageError(`--limit: ${problem}`);
  return limits;
}

/** The one protocol positional argument, checked against the known protocols. */
export function protocolArgument<P extends string>(positionals: string[], known: readonly P[], command: string): P {
  const [protocol, ...extra] = positionals;
  if (!protocol) throw new UsageError(`${command} needs a protocol: ${known.join(", ")}`);
  if (!known.includes(protocol as P)) throw new UsageError(`unknown protocol "${protocol}" (known: ${known.join(", ")})`);
  if (extra.length > 0) throw new UsageError(`unexpected argument "${extra[0]}"`);
  return protocol as P;
}

/** An http:// URL naming a server (no path beyond /, no query), as its host and port. */
export function serverUrlOption(name: string, value: string): { host: string; port: number } {
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    throw new UsageError(`--${name} must be a URL such as http://127.0.0.1:8080, got "${value}"`);
  }
  if (url.protocol !== "http:") throw new UsageError(`--${name} must be an http:// URL, got "${value}"`);
  if (url.pathname !== "/" || url.search !== "" || url.hash !== "")
    throw new UsageError(`--${name} must name a server, without a path or query, got "${value}"`);
  const { host, port } = serverOf(url);
  return { host, port };
}
