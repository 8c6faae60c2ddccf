import { parseCaseId } from "../conformance/case-id.js";
import { builtInProtocols } from "../protocols/registry.js";
import { TIMING_REPLAY_ATTEMPTS } from "../conformance/runner.js";
import { runCheck } from "./check.js";
import { UsageError } from "../conformance/usage.js";

export const replayHelp = `Usage: sockspec replay <case-id> [options]

Runs one counterexample again: the case ID that a failure prints (RULE-ID@seed:path) names the rule,
the seed and fast-check's path to the shrunk input. Only that property run is made, as it is, and its
transcript printed. Reaching the server takes the options of sockspec check (--host/--port, --spawn,
--limit, --timeout, --reporter, --out); give the same --limit values as the run that found it.

A rule whose failures depend on timing (CAP-QUOTA-RACE, BANK-CRASH-DURABLE: "timing" in the spec) is run
up to ${TIMING_REPLAY_ATTEMPTS} times until it fails; if it never does, that proves nothing, and replay says so.

Exit code: 1 when the case still fails, 0 when it passes now, 3 when a timing-dependent case was not
reproduced, 2 for a bad command line.`;

const notForReplay = ["--only", "--exclude", "--seed", "--list", "--baseline", "--baseline-update", "--baseline-prune", "--config"];

export async function runReplay(args: string[]): Promise<number> {
  const [text, ...rest] = args;
  if (text === undefined || text.startsWith("-")) throw new UsageError("replay needs a case ID (RULE-ID@seed:path), as a failure prints it");
  const found = parseCaseId(text);
  if (!found) throw new UsageError(`"${text}" is not a case ID (RULE-ID@seed:path)`);
  const refused = rest.find((arg) => notForReplay.includes(arg.split("=")[0]!));
  if (refused) throw new UsageError(`${refused.split("=")[0]} does not go with replay: the case names its rule and seed`);
  // A protocol of your own is named by its folder; a built-in one by the rule's ID.
  const ownProtocol = rest.some((arg) => arg.split("=")[0] === "--protocol");
  const protocol = builtInProtocols.find((module) => module.spec.rules.some((rule) => rule.id === found.rule))?.spec.protocol;
  if (!protocol && !ownProtocol) throw new UsageError(`no built-in protocol has a rule ${found.rule} (for one of your own, add --protocol DIR)`);
  return runCheck([...(ownProtocol ? [] : [protocol!]), ...rest, "--only", found.rule, "--seed", String(found.seed)], found);
}
