import { serverTransport, type ProtocolModule, type ProvingClient, type ProvingServer } from "../protocols/protocol-module.js";
import { checkClient, type CheckClientOptions } from "./client/client-runner.js";
import { isUnmet, type Report } from "./report.js";
import { checkProtocol, type CheckProtocolOptions } from "./runner.js";
import { spawnTarget } from "./spawn.js";
import { inProcessTarget, TargetUnavailableError, type Target } from "./target.js";
import { describeThrown } from "../spec/thrown.js";

/** What a broken server or client declares: its name, why, and the rules it leaves unmet. */
type Declared = Pick<ProvingServer, "name" | "why" | "fails" | "warns" | "leavesUnchecked">;

/** How one broken server (or client) came out: the rules it was to leave unmet and did not, and those it should not have. */
export interface Proof<B extends Declared = ProvingServer> {
  broken: B;
  /** Declared unmet (fails, warns) but met or not checked. */
  missed: string[];
  /** Unmet, or not checked, without being declared. */
  extra: string[];
  report: Report;
}

/** A proof holds when the broken server left unmet exactly the rules it declares, and every other rule passed (or is declared not checkable). */
export const proven = (proof: Proof<Declared>) => proof.missed.length === 0 && proof.extra.length === 0;

/** How a broken server is checked: the run's budget and seed, and for a test suite shorter timeouts and rules left out. */
export type ProveOptions = Pick<CheckProtocolOptions, "runs" | "seed" | "timeouts" | "shrinkTimeMs" | "exclude">;

/**
 * Checks a broken server against the whole catalogue (less any rules `exclude` leaves out): the checks are trusted only if each broken server
 * trips exactly its own rules (fails its MUSTs, does not meet its SHOULDs), and nothing else.
 */
export async function proveServer(module: ProtocolModule, server: ProvingServer, options: ProveOptions = {}): Promise<Proof> {
  const limits = { ...module.referenceLimits, ...server.limits };
  const inProcess = inProcessTarget(`broken: ${server.name}`, async (host, workdir) => {
    try {
      return await server.start({ host, port: 0, limits, options: {}, workdir });
    } catch (error) {
      throw new TargetUnavailableError(`the broken ${server.name}'s start() failed: ${describeThrown(error)}`);
    }
  });
  // A rule that kills its servers needs them in processes of their own: the broken server's command.
  const processes =
    server.command === undefined ? undefined : spawnTarget(server.command, { host: "127.0.0.1", transport: serverTransport(module.spec), limits });
  const target: Target = processes
    ? {
        ...inProcess,
        killable: true,
        limits,
        start: (startOptions = {}) => (startOptions.process ? processes.start(startOptions) : inProcess.start(startOptions)),
      }
    : { ...inProcess, limits };
  const report = await checkProtocol({ ...options, protocol: module, target });
  return judged(server, report);
}

/** A broken implementation's report judged against what it declares. */
function judged<B extends Declared>(broken: B, report: Report): Proof<B> {
  const declared = new Set([...broken.fails, ...(broken.warns ?? [])]);
  const unchecked = new Set(broken.leavesUnchecked ?? []);
  const unmet = report.rules.filter(isUnmet).map((r) => r.id);
  const expectedLevel = (id: string) => (broken.fails.includes(id) ? "MUST" : "SHOULD");
  return {
    broken,
    report,
    missed: [...declared].filter((id) => !unmet.includes(id) || report.rules.find((r) => r.id === id)?.level !== expectedLevel(id)),
    extra: report.rules
      .filter((r) => r.outcome !== "pass" && !declared.has(r.id) && !(r.outcome === "skip" && unchecked.has(r.id)))
      .map((r) => `${r.id} ${r.outcome}`),
  };
}

/**
 * Checks a broken client against every client rule, the kit playing the server: the client checks are
 * trusted only if each broken client trips exactly its own rules, and nothing else.
 */
export async function proveClient(module: ProtocolModule, client: ProvingClient, options: ProveClientOptions = {}): Promise<Proof<ProvingClient>> {
  return judged(client, await checkClient({ ...options, protocol: module, spawn: client.command }));
}

/** How a broken client is checked: the run's budget and seed, and for a test suite no shrinking and more rules at once. */
export type ProveClientOptions = Pick<CheckClientOptions, "runs" | "seed" | "shrinkTimeMs" | "jobs">;

/** The client rules the reference client does not meet, each with why. */
export async function referenceClientProblems(module: ProtocolModule, command: string, options: ProveClientOptions = {}): Promise<string[]> {
  const report = await checkClient({ ...options, protocol: module, spawn: command });
  return report.rules.filter((r) => r.outcome !== "pass").map((r) => `${r.id} ${r.outcome}: ${r.detail.message}`);
}

/** The client rules no broken client declares it breaks. */
export function uncoveredClientRules(module: ProtocolModule, clients: readonly ProvingClient[]): string[] {
  const covered = new Set(clients.flatMap((c) => [...c.fails, ...(c.warns ?? [])]));
  return (module.spec.clientRules ?? []).map((r) => r.id).filter((id) => !covered.has(id));
}

/** The rules of the catalogue that no broken server declares it breaks, nor any names as breakable only with another. */
export function uncovered(module: ProtocolModule, servers: readonly ProvingServer[]): string[] {
  const covered = new Set(servers.flatMap((s) => [...s.fails, ...(s.warns ?? []), ...(s.notAlone ? [s.notAlone.rule] : [])]));
  return module.spec.rules.map((r) => r.id).filter((id) => !covered.has(id));
}

/** The rules the protocol's reference server does not pass, each with why: none, or the broken servers prove nothing. */
export async function referenceProblems(module: ProtocolModule, options: { runs?: number; seed?: number } = {}): Promise<string[]> {
  const report = await checkProtocol({ protocol: module, runs: options.runs, seed: options.seed });
  return report.rules.filter((r) => r.outcome !== "pass").map((r) => `${r.id} ${r.outcome}: ${r.detail.message}`);
}
