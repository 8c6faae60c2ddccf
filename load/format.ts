import type { LoadResult } from "./driver.js";

/** A load result as a few aligned lines, in the manner of wrk. */
export function formatLoad(result: LoadResult, target: string): string {
  const { latencyMs: l } = result;
  const lines = [
    `sockspec bench ${result.protocol} (${result.workload}) against ${target}`,
    `  ${result.clients} clients, ${result.seconds.toFixed(2)} s${result.rate !== undefined ? `, paced at ${result.rate} requests/s` : ""}`,
    `  answers     ${result.ok} right, ${result.errors} wrong, ${result.timeouts} timeouts`,
    `  throughput  ${result.throughput} answers/s`,
    `  latency     p50 ${l.p50} ms, p90 ${l.p90} ms, p99 ${l.p99} ms, max ${l.max} ms (mean ${l.mean} ms)`,
  ];
  for (const example of result.examples) lines.push(`  WRONG ANSWER: expected ${JSON.stringify(example.expected)}, got ${JSON.stringify(example.actual)}`);
  if (result.verifyError) lines.push(`  WRONG OVER THE RUN: ${result.verifyError}`);
  if (result.cutShort) lines.push(`  CUT SHORT: ${result.cutShort}`);
  return lines.join("\n");
}
