// `npm run bench`: how long a full check of each built-in reference server takes, against the target of
// issue #2 (under 20 s with the default runs), and the memory it needed. Exits 1 when a target is missed.
import { check } from "../conformance/runner.js";
import { suites } from "../conformance/suites.js";

const TARGET_MS = 20_000;
let missed = false;
for (const protocol of Object.keys(suites)) {
  const started = performance.now();
  const report = await check({ protocol });
  const ms = Math.round(performance.now() - started);
  const rssMiB = Math.round(process.memoryUsage().rss / 2 ** 20);
  const ok = ms < TARGET_MS && report.summary.ok;
  missed ||= !ok;
  console.log(
    `${ok ? "ok  " : "MISS"} check ${protocol} (reference, ${report.runs} runs): ${ms} ms (target < ${TARGET_MS} ms), ${report.summary.pass}/${report.summary.total} pass, rss ${rssMiB} MiB`,
  );
}
process.exitCode = missed ? 1 : 0;
