import path from "node:path";
import type { Test } from "tap";
import { check, type Report } from "../../index.js";
import { checkClient } from "../../conformance/client/client-runner.js";
import { builtInProtocol } from "../../protocols/registry.js";
import { packageRoot } from "../../spec/paths.js";
import { python } from "../support/helpers.js";

/** Seeds each independent server is checked with: a few in CI, more with SOCKSPEC_SEEDS. */
export const seeds = Array.from({ length: Number(process.env.SOCKSPEC_SEEDS ?? 2) }, (_, i) => 1000 + i);

/** The command that runs an implementation of the folder test/adversarial/independent/. */
const independent = (file: string) => `${python()} ${path.join(packageRoot, "test", "adversarial", "independent", file)}`;

/** Requires every rule of each seed's report to pass, naming what was expected and observed where one did not. */
async function passesOnEverySeed(t: Test, what: string, checked: (seed: number) => Promise<Report>): Promise<void> {
  for (const seed of seeds) {
    const failed = (await checked(seed)).rules
      .filter((r) => r.outcome !== "pass")
      .map((r) => `${r.id} ${r.outcome}: ${r.detail.expected ?? r.detail.message} / ${r.detail.actual ?? ""}`);
    t.same(failed, [], `seed ${seed}: every ${what} passes`);
  }
}

/**
 * Checks the independent implementation of a protocol (test/adversarial/independent/<protocol>.py) on each seed, with
 * the limits given to the runner, which passes them on to the server in its environment: every rule must pass.
 */
export function checkIndependent(t: Test, protocol: string, limits: Record<string, number>): Promise<void> {
  const spawn = independent(`${protocol}.py`);
  return passesOnEverySeed(t, "rule", (seed) => check({ protocol, target: { spawn }, seed, runs: 20, limits }));
}

/** Checks the independent client of a protocol (test/adversarial/independent/<protocol>_client.py) on each seed: every client rule must pass. */
export function checkIndependentClient(t: Test, protocol: string): Promise<void> {
  const spawn = independent(`${protocol}_client.py`);
  return passesOnEverySeed(t, "client rule", (seed) => checkClient({ protocol: builtInProtocol(protocol), spawn, seed, runs: 100 }));
}
