import { existsSync } from "node:fs";
import path from "node:path";
import { readJson } from "../spec/read-json.js";
import { assertValid } from "../spec/validator.js";
import { configValues, type OptionValues } from "./check-options.js";
import { UsageError } from "../conformance/usage.js";

/** sockspec.config.json, as spec/schemas/config.schema.json describes it. */
export interface CheckConfig {
  protocol?: string;
  host?: string;
  port?: number;
  spawn?: string;
  spawnMemory?: number;
  spawnCpu?: number;
  spawnProcesses?: number;
  spawnFileSize?: number;
  reset?: string;
  reporter?: string;
  rubric?: string;
  out?: string;
  seed?: number;
  runs?: number;
  only?: string[];
  exclude?: string[];
  strict?: boolean;
  failOnSkip?: boolean;
  jobs?: number;
  timeout?: number;
  udpRetries?: number;
  shrinkTime?: number;
  maxTime?: number;
  limits?: Record<string, number>;
  baseline?: string;
}

/** The file `sockspec check` reads when no --config is given and it exists. */
export const DEFAULT_CONFIG = "sockspec.config.json";

/** The config file's protocol and its options in command-line form; nothing when there is no file. */
export function readConfig(file: string | undefined): { protocol?: string; values: OptionValues } {
  const chosen = file ?? (existsSync(DEFAULT_CONFIG) ? DEFAULT_CONFIG : undefined);
  if (chosen === undefined) return { values: {} };
  if (!existsSync(chosen)) throw new UsageError(`no config file at ${chosen}`);
  let config: CheckConfig;
  try {
    const read = readJson(chosen);
    assertValid("config.schema.json", read, chosen);
    config = read as CheckConfig;
  } catch (error) {
    throw new UsageError(`bad config file: ${(error as Error).message}`);
  }
  // Paths in the file are relative to the file, wherever sockspec runs.
  return { protocol: config.protocol, values: configValues(config as Record<string, unknown>, (p) => path.resolve(path.dirname(chosen), p)) };
}

/**
 * The config's options with the command line's on top: an option given there wins, limits add up, and a
 * target given there (--port or --spawn) replaces the config's target.
 */
export function mergeOptions(config: OptionValues, cli: OptionValues): OptionValues {
  const fromConfig =
    cli.port !== undefined || cli.spawn !== undefined || cli.url !== undefined
      ? { ...config, port: undefined, spawn: undefined, host: undefined, reset: undefined }
      : config;
  const given = Object.fromEntries(Object.entries(cli).filter(([, v]) => v !== undefined));
  return { ...fromConfig, ...given, limit: [...((fromConfig.limit as string[]) ?? []), ...((cli.limit as string[]) ?? [])] };
}
