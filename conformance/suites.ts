import { createCapitalizerServer } from "../protocols/capitalizer/reference/server.js";
import { capitalizer, capitalizerLimitsProblem } from "../protocols/capitalizer/spec/index.js";
import type { ProtocolSpec } from "../spec/protocol.js";
import { capitalizerChecks } from "../protocols/capitalizer/checks/checks.js";
import { bankChecks } from "../protocols/bank/checks/checks.js";
import { createBankServer } from "../protocols/bank/reference/server.js";
import { bank } from "../protocols/bank/spec/index.js";
import path from "node:path";
import type { RuleCheck } from "./check.js";
import { inProcessTarget, tcpServer, udpServer, type Target } from "./target.js";
import { spawnTarget } from "./spawn.js";
import type { Transport } from "./ports.js";
import { packageRoot } from "../spec/paths.js";
import { createStatusServer } from "../protocols/status/reference/server.js";
import { status } from "../protocols/status/spec/index.js";
import { statusChecks } from "../protocols/status/checks/checks.js";

/** What the runner needs to know of a protocol: its spec, a check per rule, and its reference server. */
export interface Suite {
  spec: ProtocolSpec;
  checks: RuleCheck[];
  /** The spec's limits a server may be configured with otherwise (`--limit NAME=VALUE`); the checks read them from the context. */
  tunableLimits: readonly string[];
  /** The shorter limits the built-in reference is checked with (some of tunableLimits), so that its waits cost little. */
  referenceLimits: Readonly<Record<string, number>>;
  /** Why limits a server says it runs with cannot be checked (undefined when they can). */
  limitsProblem?(limits: Readonly<Record<string, number>>): string | undefined;
  /** The built-in reference server, checked when no other target is given, configured with `limits`. */
  reference(limits: Readonly<Record<string, number>>): Target;
}

/**
 * The built-in reference bank is checked with a short challenge timeout and throttle window, so that
 * BANK-CHALLENGE-TIMEOUT and BANK-THROTTLE-WINDOW wait seconds rather than the spec's minutes; `sockspec
 * serve bank` keeps the spec's.
 */
export const REFERENCE_BANK_LIMITS = { challengeTimeoutMs: 1000, throttleWindowMs: 1000 };

/**
 * Likewise the built-in reference capitalizer closes idle connections after 1.5 s (not a minute) and takes
 * 64 connections, 16 from one address (not 1024 and 64), so that CAP-IDLE-TIMEOUT and the connection
 * limits cost little.
 */
export const REFERENCE_CAPITALIZER_LIMITS = { idleTimeoutMs: 1500, maxConnections: 64, maxConnectionsPerAddress: 16 };

/**
 * The built-in reference as a target: its servers run in this process, except one that a rule kills, which
 * runs as `sockspec serve <protocol> <args>` in a process of its own, so that every rule is checked.
 */
function referenceTarget(inProcess: Target, transport: Transport, serveArgs: string): Target {
  const cli = path.join(packageRoot, "dist", "cli", "main.js");
  const processes = spawnTarget(`"${process.execPath}" "${cli}" serve ${serveArgs} --host {host} --port {port}`, { host: "127.0.0.1", transport });
  return { ...inProcess, killable: true, start: (options = {}) => (options.process ? processes.start(options) : inProcess.start(options)) };
}

export const suites: Record<string, Suite> = {
  capitalizer: {
    spec: capitalizer,
    checks: capitalizerChecks,
    tunableLimits: ["idleTimeoutMs", "maxConnections", "maxConnectionsPerAddress"],
    referenceLimits: REFERENCE_CAPITALIZER_LIMITS,
    limitsProblem: capitalizerLimitsProblem,
    reference: (limits) => {
      const configured = { ...REFERENCE_CAPITALIZER_LIMITS, ...limits };
      const target = inProcessTarget(
        "built-in reference server",
        tcpServer(() => createCapitalizerServer(configured)),
      );
      const args = `capitalizer ${Object.entries(configured)
        .map(([name, value]) => `--limit ${name}=${value}`)
        .join(" ")}`;
      return { ...referenceTarget(target, "tcp", args), limits: configured };
    },
  },
  bank: {
    spec: bank,
    checks: bankChecks,
    tunableLimits: ["challengeTimeoutMs", "throttleWindowMs"],
    referenceLimits: REFERENCE_BANK_LIMITS,
    reference: (limits) => {
      const configured = { ...REFERENCE_BANK_LIMITS, ...limits };
      const target = inProcessTarget(
        "built-in reference server",
        udpServer((workdir, host) => createBankServer({ dataFile: path.join(workdir, bank.defaults.dataFile), ...configured, host })),
      );
      const args = `bank --data ${bank.defaults.dataFile} ${Object.entries(configured)
        .map(([name, value]) => `--limit ${name}=${value}`)
        .join(" ")}`;
      return { ...referenceTarget(target, "udp", args), limits: configured };
    },
  },
  status: {
    spec: status,
    checks: statusChecks,
    tunableLimits: [],
    referenceLimits: {},
    reference: () =>
      inProcessTarget(
        "built-in reference server",
        tcpServer(() => createStatusServer()),
      ),
  },
};

export function suiteOf(protocol: string): Suite {
  const suite = suites[protocol];
  if (!suite) throw new RangeError(`unknown protocol "${protocol}" (known: ${Object.keys(suites).join(", ")})`);
  return suite;
}
