// `npm run bench`: the reference servers against the original Python ones, loaded by the same generator
// (sockspec bench's) on the same machine in one run, with the ratios and their targets.
// The original capitalizer stops at 10 sentences, so a copy with its limit raised to 10**12 is made in a
// temporary folder and measured instead (the only change). Exits 1 when a target is missed.
import { writeReadmeSection } from "./readme-section.js";
import { existsSync } from "node:fs";
import { mkdtemp, readFile, rm, writeFile } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { spawnTarget } from "../conformance/spawn.js";
import { bankWorkload, type BankWorkload } from "../protocols/bank/load.js";
import { capitalizerWorkload } from "../protocols/capitalizer/load.js";
import { runLoad, type LoadOptions, type LoadResult, type Workload } from "../load/driver.js";
import { serveCommand } from "../conformance/reference-target.js";
import { builtInProtocol } from "../protocols/registry.js";
import { packageRoot } from "../spec/paths.js";

const originals = path.join(packageRoot, "..", "shared", "legacy");
const python = process.env.PYTHON ?? "python3";
const SECONDS = { warmupMs: 1000, durationMs: 5000 };
const TIMEOUT_MS = 1000;

type Protocol = "capitalizer" | "bank";

/** `sockspec serve` as a process of its own, so that it does not share the load generator's thread, with the protocol's load limits. */
function referenceServeCommand(protocol: Protocol): string {
  const module = builtInProtocol(protocol);
  return serveCommand(module, module.load?.serveLimits ?? {});
}
type LoadFor = (host: string, port: number) => Workload;

/** Starts a server from a command, loads it, stops it. */
async function measure(protocol: Protocol, command: string, load: LoadFor, options: Omit<LoadOptions, "timeoutMs">): Promise<LoadResult> {
  const server = await spawnTarget(command, { host: "127.0.0.1", transport: protocol === "bank" ? "udp" : "tcp" }).start();
  try {
    return await runLoad(load(server.host, server.port), { ...SECONDS, timeoutMs: TIMEOUT_MS, ...options });
  } finally {
    await server.stop();
  }
}

/** The original capitalizer with its 10-sentence limit raised: a copy in a temporary folder. */
async function raisedLimitCapitalizer(folder: string): Promise<string> {
  const source = await readFile(path.join(originals, "tcpserver.py"), "utf8");
  const raised = source.replace("get_num_of_strings() >= 10)", "get_num_of_strings() >= 10**12)");
  if (raised === source) throw new Error("tcpserver.py: the limit check was not found; the copy cannot be raised");
  const copy = path.join(folder, "tcpserver-raised-limit.py");
  await writeFile(copy, raised);
  return copy;
}

interface Row {
  what: string;
  clients: number;
  rate?: number;
  load: (protocol: Protocol) => LoadFor;
  /** Only the reference is measured, and why. */
  referenceOnly?: string;
  /** A target on the reference's result (and the original's). */
  target?: { text: string; met(reference: LoadResult, original?: LoadResult): boolean };
}

const capitalizerLoad = () => (host: string, port: number) => capitalizerWorkload(host, port, TIMEOUT_MS);
const bankLoad = (kind: BankWorkload) => () => (host: string, port: number) => bankWorkload(kind, { host, port, timeoutMs: TIMEOUT_MS });

const rows: Record<Protocol, Row[]> = {
  capitalizer: [
    {
      what: "sentences, full speed",
      clients: 32,
      load: capitalizerLoad,
      target: { text: "throughput >= 5x the original's", met: (r, o) => o !== undefined && r.throughput >= 5 * o.throughput },
    },
    {
      what: "sentences, paced",
      clients: 32,
      rate: 5000,
      load: capitalizerLoad,
      target: { text: "p99 < 2 ms at 32 connections", met: (r) => r.latencyMs.p99 < 2 },
    },
  ],
  bank: [
    { what: "balance requests, full speed", clients: 32, load: bankLoad("balance") },
    { what: "deposits, one client", clients: 1, load: bankLoad("deposit") },
    {
      what: "deposits, full speed",
      clients: 32,
      load: bankLoad("deposit"),
      referenceOnly: "the original sends every challenge to the first address it heard from (BANK-CHALLENGE-REQUESTER)",
    },
  ],
};

const wrongs = (r: LoadResult) => r.errors + (r.verifyError ? 1 : 0);
const describe = (r: LoadResult | undefined) =>
  r === undefined
    ? "-"
    : `${r.throughput}/s, p50 ${r.latencyMs.p50} ms, p99 ${r.latencyMs.p99} ms${wrongs(r) ? `, ${wrongs(r)} WRONG` : ""}${r.cutShort ? ", CUT SHORT" : ""}`;

const folder = await mkdtemp(path.join(os.tmpdir(), "sockspec-bench-"));
const haveOriginals = existsSync(path.join(originals, "tcpserver.py"));
const original = {
  capitalizer: haveOriginals ? `${python} ${await raisedLimitCapitalizer(folder)}` : undefined,
  bank: haveOriginals ? `${python} ${path.join(originals, "udpserver.py")}` : undefined,
};
let missed = false;
const lines = ["| protocol | load | clients | reference | original (python3) | ratio | target |", "| --- | --- | --- | --- | --- | --- | --- |"];
try {
  for (const protocol of ["capitalizer", "bank"] as const) {
    for (const row of rows[protocol]) {
      const options = { clients: row.clients, ...(row.rate !== undefined ? { rate: row.rate } : {}) };
      const ours = await measure(protocol, referenceServeCommand(protocol), row.load(protocol), options);
      const theirs = row.referenceOnly || !original[protocol] ? undefined : await measure(protocol, original[protocol]!, row.load(protocol), options);
      const ratio = theirs && theirs.throughput > 0 && row.rate === undefined ? `${(ours.throughput / theirs.throughput).toFixed(1)}x` : "-";
      const met = row.target ? row.target.met(ours, theirs) : true;
      missed ||= !met || wrongs(ours) > 0;
      const target = row.target ? `${met ? "met" : "MISSED"}: ${row.target.text}` : "";
      const load = `${row.what}${row.rate !== undefined ? ` (${row.rate}/s)` : ""}`;
      const them = row.referenceOnly ? `not measured: ${row.referenceOnly}` : describe(theirs);
      lines.push(`| ${protocol} | ${load} | ${row.clients} | ${describe(ours)} | ${them} | ${ratio} | ${target} |`);
    }
  }
} finally {
  await rm(folder, { recursive: true, force: true });
}
const heading = `Reference vs original, ${os.cpus().length} cores, ${SECONDS.warmupMs / 1000} s warm-up + ${SECONDS.durationMs / 1000} s per cell`;
const caveat = haveOriginals ? [] : [`(no ${originals}: the originals are not measured)`];
console.log([`${heading}:`, ...caveat, ...lines].join("\n"));
writeReadmeSection(
  "side-by-side",
  [...lines, "", `Measured by \`npm run bench\`, ${new Date().toISOString().slice(0, 10)}: ${heading.toLowerCase()}.`, ...caveat].join("\n"),
);
process.exitCode = missed ? 1 : (process.exitCode ?? 0);
