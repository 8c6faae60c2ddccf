import path from "node:path";
import {
  proveClient,
  proven,
  proveServer,
  referenceClientProblems,
  referenceProblems,
  uncovered,
  uncoveredClientRules,
  type Proof,
} from "../conformance/prove.js";
import type { ProtocolModule, ProvingClient, ProvingServer } from "../protocols/protocol-module.js";
import { packageRoot } from "../spec/paths.js";
import { shellWord } from "./shell-word.js";
import { integerOption, parse, UsageError } from "../conformance/usage.js";
import { chosenProtocol, protocolFolderHelp, protocolFolderOption } from "./protocol-option.js";

export const proveHelp = `Usage: sockspec prove --protocol DIR [options]

Proves a protocol's checks with its broken servers (the module's broken()): each is checked against
the whole catalogue and must leave unmet exactly the rules it declares (fails its MUSTs, misses its
SHOULDs) and pass every other, every rule of the catalogue must have a broken server that breaks it,
and the protocol's reference server must pass every rule. A catalogue whose checks pass this catches
what each rule is about. A protocol with client rules and broken clients (clientChecks.broken()) has
its client checks proven the same way: each broken client trips exactly its client rules, every client
rule is broken by one, and the reference client meets them all.

  --only NAME,...   prove only these broken servers or clients (then neither the references nor the
                    coverage is judged)
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
  const all = (await module.broken?.()) ?? [];
  const allClients = (await module.clientChecks?.broken?.()) ?? [];
  if (all.length === 0) throw new UsageError(`${module.spec.protocol} declares no broken server to prove its checks with`);
  const only = values.only?.split(",").map((name) => name.trim());
  const names = [...all, ...allClients].map((broken) => broken.name);
  const unknown = only?.filter((name) => !names.includes(name));
  if (unknown?.length) throw new UsageError(`no broken server or client ${unknown.join(", ")} (${names.join(", ")})`);
  const servers = only ? all.filter((server) => only.includes(server.name)) : all;
  const clients = only ? allClients.filter((client) => only.includes(client.name)) : allClients;
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
  const proofs: Array<Proof<ProvingServer>> = [];
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
  const clientsHeld = allClients.length === 0 ? true : await proveClients(module, clients, allClients, only !== undefined, { runs, seed });
  return held === proofs.length && missing.length === 0 && reference.length === 0 && clientsHeld ? 0 : 1;
}

/** The command of the protocol's reference client: its own, or `sockspec client` for a built-in one. */
function referenceClientCommand(module: ProtocolModule): string | undefined {
  if (module.clientChecks?.reference) return module.clientChecks.reference;
  if (!module.client) return undefined;
  const cli = path.join(packageRoot, "dist", "cli", "main.js");
  return `${shellWord(process.execPath)} ${shellWord(cli)} client ${module.spec.protocol} --host {host} --port {port}`;
}

/** Proves the client checks as the server checks are: the reference client, each broken client, the coverage. Whether all held. */
async function proveClients(
  module: ProtocolModule,
  clients: readonly ProvingClient[],
  all: readonly ProvingClient[],
  some: boolean,
  options: { runs?: number; seed?: number },
): Promise<boolean> {
  process.stdout.write("\n");
  const command = referenceClientCommand(module);
  const reference = some || command === undefined ? [] : await referenceClientProblems(module, command, options);
  if (!some)
    process.stdout.write(
      command === undefined
        ? "REFERENCE   no reference client to check (clientChecks.reference)\n"
        : reference.length === 0
          ? "REFERENCE   client meets every client rule\n"
          : `REFERENCE   client does not meet ${reference.length} client rule(s):\n${reference.map((line) => `              ${line}`).join("\n")}\n`,
    );
  const proofs: Array<Proof<ProvingClient>> = [];
  for (const client of clients) {
    const proof = await proveClient(module, client, options);
    proofs.push(proof);
    process.stdout.write(`${describeProof(proof)}\n`);
  }
  const missing = some ? [] : uncoveredClientRules(module, all);
  const held = proofs.filter(proven).length;
  process.stdout.write(
    `\n${held} of ${proofs.length} broken client(s) proven; ${missing.length === 0 ? (some ? "coverage not judged (--only)" : "every client rule has a broken client") : `no broken client breaks ${missing.join(", ")}`}\n`,
  );
  return held === proofs.length && missing.length === 0 && reference.length === 0 && (some || command !== undefined);
}

/** A proof on one line (two when it fails: what it missed and what else it broke, with why). */
function describeProof(proof: Proof<ProvingServer | ProvingClient>): string {
  const declared = [...proof.broken.fails, ...(proof.broken.warns ?? [])].join(", ");
  const head = `${proven(proof) ? "PROVEN    " : "NOT PROVEN"}  ${proof.broken.name.padEnd(24)} ${proof.broken.why ? `${proof.broken.why}: ` : ""}${declared}`;
  if (proven(proof)) return head;
  const why = (id: string) => proof.report.rules.find((r) => r.id === id.split(" ")[0])?.detail.message ?? "";
  return [
    head,
    ...proof.missed.map((id) => `              not caught: ${id} (${why(id)})`),
    ...proof.extra.map((id) => `              also unmet: ${id} (${why(id)})`),
  ].join("\n");
}
