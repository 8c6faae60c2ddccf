import { serverTransport, type ProtocolModule, type ProvingServer } from "../protocols/protocol-module.js";
import { isUnmet, type Report } from "./report.js";
import { checkProtocol, type CheckProtocolOptions } from "./runner.js";
import { spawnTarget } from "./spawn.js";
import { inProcessTarget, TargetUnavailableError, type Target } from "./target.js";
import { describeThrown } from "../spec/thrown.js";

/** How one broken server came out: the rules it was to leave unmet and did not, and those it should not have. */
export interface Proof {
  server: ProvingServer;
  /** Declared unmet (fails, warns) but met or not checked. */
  missed: string[];
  /** Unmet, or not checked, without being declared. */
  extra: string[];
  report: Report;
}

/** A proof holds when the broken server left unmet exactly the rules it declares, and every other rule passed (or is declared not checkable). */
export const proven = (proof: Proof) => proof.missed.length === 0 && proof.extra.length === 0;

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
  const declared = new Set([...server.fails, ...(server.warns ?? [])]);
  const unchecked = new Set(server.leavesUnchecked ?? []);
  const unmet = report.rules.filter(isUnmet).map((r) => r.id);
  const expectedLevel = (id: string) => (server.fails.includes(id) ? "MUST" : "SHOULD");
  return {
    server,
    report,
    missed: [...declared].filter((id) => !unmet.includes(id) || report.rules.find((r) => r.id === id)?.level !== expectedLevel(id)),
    extra: report.rules
      .filter((r) => r.outcome !== "pass" && !declared.has(r.id) && !(r.outcome === "skip" && unchecked.has(r.id)))
      .map((r) => `${r.id} ${r.outcome}`),
  };
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
