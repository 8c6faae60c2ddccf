import { proven, proveServer, referenceProblems, uncovered, type Proof } from "../conformance/prove.js";
import { integerOption, parse, UsageError } from "../conformance/usage.js";
import { chosenProtocol, protocolFolderHelp, protocolFolderOption } from "./protocol-option.js";

export const proveHelp = `Usage: sockspec prove --protocol DIR [options]

Proves a protocol's checks with its broken servers (the module's broken()): each is checked against
the whole catalogue and must leave unmet exactly the rules it declares (fails its MUSTs, misses its
SHOULDs) and pass every other, every rule of the catalogue must have a broken server that breaks it,
and the protocol's reference server must pass every rule. A catalogue whose checks pass this catches
what each rule is about.

  --only NAME,...   prove only these broken servers (then neither the reference nor the coverage is judged)
  -n, --runs N      property runs per rule (default 100)
  -s, --seed N      fast-check seed
${protocolFolderHelp(20)}

Exit code: 0 when every broken server is proven and every rule is covered, 1 otherwise, 2 for a bad
command line or a protocol with no broken servers.`;

export async function runProve(args: string[]): Promise<number> {
  const { values, positionals } = parse(
    args,
    { only: { type: "string" }, runs: { type: "string", short: "n" }, seed: { type: "string", short: "s" }, ...protocolFolderOption },
    "prove",
  );
  const { module } = await chosenProtocol(positionals, values.protocol, "prove", (m) => m.broken !== undefined);
  const all = await module.broken!();
  if (all.length === 0) throw new UsageError(`${module.spec.protocol} declares no broken server to prove its checks with`);
  const only = values.only?.split(",").map((name) => name.trim());
  const unknown = only?.filter((name) => !all.some((server) => server.name === name));
  if (unknown?.length) throw new UsageError(`no broken server ${unknown.join(", ")} (${all.map((s) => s.name).join(", ")})`);
  const servers = only ? all.filter((server) => only.includes(server.name)) : all;
  const runs = integerOption("runs", values.runs, 1, 1_000_000);
  const seed = integerOption("seed", values.seed, -(2 ** 31), 2 ** 31 - 1);
  // Broken servers prove a check only if the reference passes it: otherwise the check fails everything.
  // With --only, as coverage, the whole catalogue is not judged.
  const reference = only ? [] : await referenceProblems(module, { runs, seed });
  if (!only)
    process.stdout.write(
      reference.length === 0
        ? "REFERENCE   passes every rule\n"
        : `REFERENCE   does not pass ${reference.length} rule(s):\n${reference.map((line) => `              ${line}`).join("\n")}\n`,
    );
  const proofs: Proof[] = [];
  for (const server of servers) {
    const proof = await proveServer(module, server, { runs, seed });
    proofs.push(proof);
    process.stdout.write(`${describeProof(proof)}\n`);
  }
  const missing = only ? [] : uncovered(module, all);
  const held = proofs.filter(proven).length;
  process.stdout.write(
    `\n${held} of ${proofs.length} broken server(s) proven; ${missing.length === 0 ? (only ? "coverage not judged (--only)" : "every rule has a broken server") : `no broken server breaks ${missing.join(", ")}`}\n`,
  );
  return held === proofs.length && missing.length === 0 && reference.length === 0 ? 0 : 1;
}

/** A proof on one line (two when it fails: what it missed and what else it broke, with why). */
function describeProof(proof: Proof): string {
  const declared = [...proof.server.fails, ...(proof.server.warns ?? [])].join(", ");
  const head = `${proven(proof) ? "PROVEN    " : "NOT PROVEN"}  ${proof.server.name.padEnd(24)} ${proof.server.why ? `${proof.server.why}: ` : ""}${declared}`;
  if (proven(proof)) return head;
  const why = (id: string) => proof.report.rules.find((r) => r.id === id.split(" ")[0])?.detail.message ?? "";
  return [
    head,
    ...proof.missed.map((id) => `              not caught: ${id} (${why(id)})`),
    ...proof.extra.map((id) => `              also unmet: ${id} (${why(id)})`),
  ].join("\n");
}
