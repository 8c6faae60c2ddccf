// `npm run bench`: every benchmark in turn, each in a process of its own so that none skews another's
// memory or timings; exits 1 when any missed its target, after all have run.
import { spawnSync } from "node:child_process";
import { fileURLToPath } from "node:url";

const benchmarks = ["check-time.js", "idle-memory.js", "side-by-side.js", "hostile.js", "grade-class.js"];
let missed = false;
for (const script of benchmarks) {
  const { status } = spawnSync(process.execPath, [fileURLToPath(new URL(script, import.meta.url))], { stdio: "inherit" });
  missed ||= status !== 0;
}
process.exitCode = missed ? 1 : 0;
