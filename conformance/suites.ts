import { createCapitalizerServer } from "../reference/capitalizer/server.js";
import { capitalizer } from "../spec/capitalizer/index.js";
import type { ProtocolSpec } from "../spec/protocol.js";
import { capitalizerChecks } from "./capitalizer/checks.js";
import { bankChecks } from "./bank/checks.js";
import { createBankServer } from "../reference/bank/server.js";
import { bank } from "../spec/bank/index.js";
import path from "node:path";
import type { RuleCheck } from "./check.js";
import { inProcessTarget, tcpServer, udpServer, type Target } from "./target.js";

/** What the runner needs to know of a protocol: its spec, a check per rule, and its reference server. */
export interface Suite {
  spec: ProtocolSpec;
  checks: RuleCheck[];
  /** The built-in reference server, checked when no other target is given. */
  reference(): Target;
}

export const suites: Record<string, Suite> = {
  capitalizer: {
    spec: capitalizer,
    checks: capitalizerChecks,
    reference: () =>
      inProcessTarget(
        "built-in reference server",
        tcpServer(() => createCapitalizerServer()),
      ),
  },
  bank: {
    spec: bank,
    checks: bankChecks,
    reference: () =>
      inProcessTarget(
        "built-in reference server",
        udpServer((workdir) => createBankServer({ dataFile: path.join(workdir, bank.defaults.dataFile) })),
      ),
  },
};

export function suiteOf(protocol: string): Suite {
  const suite = suites[protocol];
  if (!suite) throw new RangeError(`unknown protocol "${protocol}" (known: ${Object.keys(suites).join(", ")})`);
  return suite;
}
