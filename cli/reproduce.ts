import { existsSync, realpathSync } from "node:fs";
import path from "node:path";
import { isUnmet, type RuleResult } from "../conformance/report.js";
import { packageRoot } from "../spec/paths.js";
import { shellWord } from "./shell-word.js";

/** A command's options as its parser takes them: enough to tell which arguments name an option and take a value. */
type OptionTable = Readonly<Record<string, { type: string; short?: string }>>;

/** The option an argument names, long (`--out`, `--out=FILE`) or short (`-o`), if it names one. */
function optionNamed(options: OptionTable, arg: string): { name: string; takesValue: boolean } | undefined {
  const name = arg.startsWith("--")
    ? arg.slice(2).split("=")[0]!
    : Object.entries(options).find(([, option]) => option.short && arg === `-${option.short}`)?.[0];
  const option = name === undefined ? undefined : options[name];
  return option && { name: name!, takesValue: option.type === "string" && !arg.includes("=") };
}

/**
 * Adds to each unmet rule of a run the command that runs it again, as a command that runs as printed
 * wherever it is pasted: it goes to the folder the run was made in (relative paths in a --spawn command mean
 * what they meant), and names the sockspec that ran (the project's own through `npx --no-install`, which
 * never fetches whatever the registry calls sockspec; otherwise the file that ran). The options in
 * `notReproduced` (where the report goes, which rules) are left out, so that running it never overwrites
 * the full report; `command` builds the line from the sockspec to run and the run's other options.
 */
export function reproduceWith(
  args: readonly string[],
  protocol: string,
  options: OptionTable,
  notReproduced: ReadonlySet<string>,
  command: (result: RuleResult, sockspec: string, rerunOptions: string) => string,
): (result: RuleResult) => RuleResult {
  const kept: string[] = [];
  for (let i = 0; i < args.length; i++) {
    const option = optionNamed(options, args[i]!);
    if (option && notReproduced.has(option.name)) {
      if (option.takesValue) i += 1;
      continue;
    }
    if (args[i] !== protocol) kept.push(args[i]!);
  }
  const rerunOptions = kept.map(shellWord).join(" ");
  const sockspec = `cd ${shellWord(process.cwd())} && ${sockspecCommand()}`;
  return (result) => {
    if (!isUnmet(result)) return result;
    const line = command(result, sockspec, rerunOptions);
    return { ...result, detail: { ...result.detail, reproduce: line.replace(/\s+/g, " ").trim() } };
  };
}

/**
 * How the sockspec that runs is started again from the folder it runs in: through npx where it is the
 * project's installed dependency, else the very file that ran (in sockspec's own repository npx would
 * install the project into itself, and its prepare script rebuild dist/ under every running test).
 */
export function sockspecCommand(): string {
  const local = path.join(process.cwd(), "node_modules", "sockspec");
  const installed = existsSync(local) && realpathSync(local) === realpathSync(packageRoot);
  return installed ? "npx --no-install sockspec" : `node ${shellWord(path.join(packageRoot, "dist", "cli", "main.js"))}`;
}
