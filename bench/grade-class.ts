// `npm run bench`: how long `sockspec grade` takes on a class of 30 capitalizer submissions, run as a teacher
// runs it (docs/ci-and-grading.md's command: the homework rubric, the default runs, --parallel 4): the 12 of
// test/adversarial/class/capitalizer, each copied under two or three names. Timed against a target of 10 minutes, a
// class graded over a coffee. Copies of one submission must score alike: a verdict that changes under the
// load of a class is no verdict. The line goes to docs/ci-and-grading.md. Exits 1 when the target is missed, a copy
// scored otherwise than its sibling, or the grade failed.
import { execFileSync, spawn } from "node:child_process";
import { cpSync, mkdtempSync, readdirSync, readFileSync, rmSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { packageRoot } from "../spec/paths.js";
import { writeReadmeSection } from "./readme-section.js";

const SUBMISSIONS = 30;
const TARGET_MS = 10 * 60_000;
const PARALLEL = 4;
const cli = path.join(packageRoot, "dist", "cli", "main.js");
const originals = path.join(packageRoot, "test", "adversarial", "class", "capitalizer");

const scratch = mkdtempSync(path.join(os.tmpdir(), "sockspec-bench-grade-"));
process.on("exit", () => rmSync(scratch, { recursive: true, force: true }));
const classDir = path.join(scratch, "class");
const out = path.join(scratch, "grades");

// Every submission twice, then the first ones a third time, up to the class's size.
const names = readdirSync(originals).sort();
const copies = Array.from({ length: SUBMISSIONS }, (_, i) => ({
  original: names[i % names.length]!,
  name: `${names[i % names.length]}-${Math.floor(i / names.length) + 1}`,
}));
for (const { original, name } of copies) cpSync(path.join(originals, original), path.join(classDir, name), { recursive: true });

// run.sh says `python3`: the interpreter itself, not a version manager's shim, which costs every start.
const python = execFileSync(process.env.PYTHON ?? "python3", ["-c", "import sys; print(sys.executable)"], { encoding: "utf8" }).trim();
const pythonVersion = execFileSync(python, ["--version"], { encoding: "utf8" }).trim();
const args = [cli, "grade", "capitalizer", classDir, "--spawn", "sh {submission}/run.sh", "--rubric", "homework", "--parallel", String(PARALLEL), "--out", out];
const started = performance.now();
const code = await new Promise<number | null>((resolve, reject) => {
  const child = spawn(process.execPath, args, {
    stdio: ["ignore", "inherit", "inherit"],
    env: { ...process.env, PATH: `${path.dirname(python)}${path.delimiter}${process.env.PATH ?? ""}` },
  });
  child.on("error", reject);
  child.on("close", resolve);
});
const ms = Math.round(performance.now() - started);

// gradebook.csv: submission,score,max,...; names and scores hold no comma or quote here.
const scores = new Map(
  readFileSync(path.join(out, "gradebook.csv"), "utf8")
    .trim()
    .split("\n")
    .slice(1)
    .map((row) => row.split(","))
    .map(([name, score]) => [name!, score!]),
);
const disagreeing = names.filter((original) => new Set(copies.filter((c) => c.original === original).map((c) => scores.get(c.name))).size !== 1);

const met = code === 0 && ms <= TARGET_MS && disagreeing.length === 0;
const agreement = disagreeing.length === 0 ? "every copy scored as its siblings" : `copies scored differently: ${disagreeing.join(", ")}`;
const line =
  `| ${SUBMISSIONS} capitalizer submissions (test/adversarial/class/capitalizer, each copied 2-3 times), homework rubric, default runs, --parallel ${PARALLEL} ` +
  `| ${(ms / 1000).toFixed(1)} s | ${ms <= TARGET_MS ? "met" : "MISSED"}: <= ${TARGET_MS / 1000} s | ${agreement} |`;
console.log(line);
writeReadmeSection(
  "grade-class",
  `| grade a class | time | target | verdicts |\n| --- | --- | --- | --- |\n${line}\n\nMeasured by \`npm run bench\` on ${os.availableParallelism()} cores, ${new Date().toISOString().slice(0, 10)}; ${pythonVersion}, Node.js ${process.version}.`,
);
console.log("wrote the line to the docs");
process.exitCode = met ? 0 : 1;
