import path from "node:path";
import type { Test } from "tap";
import { check } from "../../index.js";
import { checkClient } from "../../conformance/client/client-runner.js";
import { builtInProtocol } from "../../protocols/registry.js";
import { packageRoot } from "../../spec/paths.js";
import { python } from "../support/helpers.js";

/** Seeds each independent server is checked with: a few in CI, more with SOCKSPEC_SEEDS. */
export const seeds = Array.from({ length: Number(process.env.SOCKSPEC_SEEDS ?? 2) }, (_, i) => 1000 + i);

/**
 * Checks the independent implementation of a protocol (test/adversarial/independent/<protocol>.py) on each seed, with
 * the limits given to the runner, which passes them on to the server in its environment: every rule must pass.
 */
export async function checkIndependent(t: Test, protocol: string, limits: Record<string, number>): Promise<void> {
  const spawn = `${python()} ${path.join(packageRoot, "test", "adversarial", "independent", `${protocol}.py`)}`;
  for (const seed of seeds) {
    const report = await check({ protocol, target: { spawn }, seed, runs: 20, limits });
    const failed = report.rules
      .filter((r) => r.outcome !== "pass")
      .map((r) => `${r.id} ${r.outcome}: ${r.detail.expected ?? r.detail.message} / ${r.detail.actual ?? ""}`);
    t.same(failed, [], `seed ${seed}: every rule passes`);
  }
}

/** Checks the independent client of a protocol (test/adversarial/independent/<protocol>_client.py) on each seed: every client rule must pass. */
export async function checkIndependentClient(t: Test, protocol: string): Promise<void> {
  const spawn = `${python()} ${path.join(packageRoot, "test", "adversarial", "independent", `${protocol}_client.py`)}`;
  for (const seed of seeds) {
    const report = await checkClient({ protocol: builtInProtocol(protocol), spawn, seed, runs: 100 });
    const failed = report.rules
      .filter((r) => r.outcome !== "pass")
      .map((r) => `${r.id} ${r.outcome}: ${r.detail.expected ?? r.detail.message} / ${r.detail.actual ?? ""}`);
    t.same(failed, [], `seed ${seed}: every client rule passes`);
  }
}
