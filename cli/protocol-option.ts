import { loadProtocolFolder, ProtocolFolderError } from "../protocols/load-folder.js";
import { parseArgsOptions, type CommandOptions, type ProtocolModule } from "../protocols/protocol-module.js";
import { builtInProtocol, builtInProtocols } from "../protocols/registry.js";
import { describeThrown } from "../spec/thrown.js";
import { protocolArgument, UsageError } from "../conformance/usage.js";

/** The option that names a protocol of your own by its folder, for every command that takes a protocol. */
export const protocolFolderOption = { protocol: { type: "string" } } as const;

/** The --protocol line of a command's --help, its description from column `column`. */
export const protocolFolderHelp = (column: number) =>
  `${"  --protocol DIR".padEnd(column)}a protocol of your own, from its folder (docs/tutorial.md), instead of a built-in one`;

/** The protocol a command is given, and whether it is a built-in one. */
export interface ChosenProtocol {
  module: ProtocolModule;
  builtIn: boolean;
}

/**
 * The protocol a command names: a built-in one as its one positional argument (among those `offers` keeps,
 * e.g. those with a client), or one of your own with `--protocol DIR`.
 */
export async function chosenProtocol(
  positionals: string[],
  folder: string | undefined,
  command: string,
  offers: (module: ProtocolModule) => boolean = () => true,
): Promise<ChosenProtocol> {
  if (folder === undefined) {
    const known = builtInProtocols.filter(offers).map((m) => m.spec.protocol);
    return { module: builtInProtocol(protocolArgument(positionals, known, command)), builtIn: true };
  }
  if (positionals.length > 0) throw new UsageError(`give a protocol's name or --protocol DIR, not both (got "${positionals[0]}")`);
  let module: ProtocolModule;
  try {
    module = await loadProtocolFolder(folder);
  } catch (error) {
    if (error instanceof ProtocolFolderError) throw new UsageError(`--protocol: ${error.message}`);
    throw error;
  }
  if (!offers(module)) throw new UsageError(`${module.spec.protocol} (from ${folder}) has nothing for ${command}`);
  return { module: { ...module, checks: guardedChecks(module, folder) }, builtIn: false };
}

/** How long a protocol folder's checks() may take to give its checks. */
export const CHECKS_DEADLINE_MS = 10_000;

/**
 * The folder's checks(), called once under a deadline and a catch: one that throws, or never settles, is a
 * usage error naming the folder, never the kit's internal error or a run that ends without a verdict.
 */
function guardedChecks(module: ProtocolModule, folder: string): ProtocolModule["checks"] {
  let checks: ReturnType<ProtocolModule["checks"]> | undefined;
  return () =>
    (checks ??= new Promise((resolve, reject) => {
      const timer = setTimeout(
        () => reject(new UsageError(`--protocol: ${folder}: checks() did not settle within ${CHECKS_DEADLINE_MS} ms`)),
        CHECKS_DEADLINE_MS,
      );
      Promise.resolve()
        .then(() => module.checks())
        .then(resolve, (error: unknown) => reject(new UsageError(`--protocol: ${folder}: checks() failed: ${describeThrown(error)}`)))
        .finally(() => clearTimeout(timer));
    }));
}

/**
 * The options the protocols have of their own for one command (their server's for `serve`, their load's for
 * `bench`): each built-in protocol's parse, so that one given to the wrong protocol is named as such.
 */
export function ownOptions(of: (module: ProtocolModule) => CommandOptions | undefined, column: number) {
  const owned = builtInProtocols.flatMap((m) => Object.entries(of(m) ?? {}).map(([name, option]) => ({ protocol: m.spec.protocol, name, option })));
  return {
    /** For parse(): every protocol's, whose values are then read by name (values()). */
    parse: Object.assign({}, ...builtInProtocols.map((m) => parseArgsOptions(of(m)))) as {},
    /** Their lines in --help, each naming its protocol. */
    help: owned.map(({ protocol, name, option }) => `${`  --${name} VALUE`.padEnd(column)}${protocol}: ${option.description}`).join("\n"),
    /** The chosen protocol's values, each checked against its choices; another protocol's option is a usage error. */
    values(values: Record<string, unknown>, module: ProtocolModule): Record<string, string | undefined> {
      const own = of(module) ?? {};
      const stray = owned.find(({ name }) => values[name] !== undefined && !(name in own));
      if (stray) throw new UsageError(`--${stray.name} is for ${stray.protocol}, not ${module.spec.protocol}`);
      return Object.fromEntries(
        Object.entries(own).map(([name, { choices }]) => {
          const value = values[name] as string | undefined;
          if (value !== undefined && choices && !choices.includes(value))
            throw new UsageError(`--${name} must be one of ${choices.join(", ")}, got "${value}"`);
          return [name, value];
        }),
      );
    },
  };
}
