import type { LoadResult, WrongExample } from "./driver.js";

/** A wrong answer's excerpt, with its whole size when the excerpt is only its beginning. */
function shownAnswer({ actual, size, overflow }: WrongExample): string {
  if (size === undefined) return JSON.stringify(actual);
  const whole = overflow ? `${size.toLocaleString("en")} bytes and more: the bench hung up there` : `${size.toLocaleString("en")} bytes in all`;
  return `${JSON.stringify(actual)}… (${whole})`;
}

/** A load result as a few aligned lines, in the manner of wrk. */
export function formatLoad(result: LoadResult, target: string): string {
  const { latencyMs: l } = result;
  const late = result.late > 0 ? ` (${result.late} answered after their timeout)` : "";
  const lines = [
    `sockspec bench ${result.protocol} (${result.workload}) against ${target}`,
    `  ${result.clients} clients, ${result.seconds.toFixed(2)} s${result.rate !== undefined ? `, paced at ${result.rate} requests/s` : ""}`,
    `  answers     ${result.ok} right, ${result.errors} wrong, ${result.timeouts} timeouts${late}`,
    `  throughput  ${result.throughput} answers/s`,
    `  latency     p50 ${l.p50} ms, p90 ${l.p90} ms, p99 ${l.p99} ms, max ${l.max} ms (mean ${l.mean} ms)`,
  ];
  for (const example of result.examples) lines.push(`  WRONG ANSWER: expected ${JSON.stringify(example.expected)}, got ${shownAnswer(example)}`);
  if (result.verifyError) lines.push(`  WRONG OVER THE RUN: ${result.verifyError}`);
  if (result.cutShort) lines.push(`  CUT SHORT: ${result.cutShort}`);
  return lines.join("\n");
}
