import path from "node:path";
import type { Test } from "tap";
import { check, spawnTarget, type Transport } from "../index.js";
import { packageRoot } from "../spec/paths.js";
import { python } from "./helpers.js";

/** Seeds each independent server is checked with: a few in CI, more with SOCKSPEC_SEEDS. */
export const seeds = Array.from({ length: Number(process.env.SOCKSPEC_SEEDS ?? 2) }, (_, i) => 1000 + i);

/**
 * Checks the independent implementation of a protocol (test/independent/<protocol>.py) on each seed, with
 * the limits given both to the server (in its environment) and to the runner: every rule must pass.
 */
export async function checkIndependent(t: Test, protocol: string, transport: Transport, limits: Record<string, number>): Promise<void> {
  const env = Object.entries(limits)
    .map(([name, value]) => `${name.replace(/[A-Z]/g, (c) => `_${c}`).toUpperCase()}=${value}`)
    .join(" ");
  const target = spawnTarget(`${env} ${python()} ${path.join(packageRoot, "test", "independent", `${protocol}.py`)}`, { host: "127.0.0.1", transport });
  for (const seed of seeds) {
    const report = await check({ protocol, target, seed, runs: 20, limits });
    const failed = report.rules
      .filter((r) => r.outcome !== "pass")
      .map((r) => `${r.id} ${r.outcome}: ${r.detail.expected ?? r.detail.message} / ${r.detail.actual ?? ""}`);
    t.same(failed, [], `seed ${seed}: every rule passes`);
  }
}
