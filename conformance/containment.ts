import { execFile } from "node:child_process";
import { readFile } from "node:fs/promises";
import os from "node:os";

/**
 * Limits on what a spawned server may use, for servers nobody has read (a class's homework). Each is a
 * setrlimit(2) limit, set by util-linux's prlimit before the server starts and inherited by everything it
 * starts; a server past one is stopped by the kernel, and the check reports how it ended.
 */
export interface ResourceLimits {
  /** Address space of each process, in MiB (RLIMIT_AS): an allocation past it fails. */
  memoryMiB?: number;
  /** CPU time of each process, in seconds (RLIMIT_CPU): past it the process gets SIGXCPU. */
  cpuSeconds?: number;
  /**
   * Processes of the server's user (RLIMIT_NPROC, which the kernel counts per user, not per server, and
   * does not apply to root): a fork past it fails.
   */
  processes?: number;
  /** Size of any file a process writes, in MiB (RLIMIT_FSIZE): a write past it gets SIGXFSZ. */
  fileSizeMiB?: number;
}

/** How a server command is run: the program, its arguments, and whether everything it starts ends with it. */
export interface ContainedCommand {
  file: string;
  args: string[];
  /**
   * The command runs in a PID namespace of its own (Linux): when the process the kit started ends, the
   * kernel ends every process in it, a daemon that left the process group included. Otherwise only its
   * process group is known to the kit.
   */
  namespaced: boolean;
}

const MIB = 1024 * 1024;
/** How long the one-off probe of what this machine allows may take. */
const PROBE_TIMEOUT_MS = 10_000;

/** The command, as `sh -c` runs it, inside a PID namespace where this machine allows one, and under the limits. */
export async function containedCommand(command: string, limits: ResourceLimits = {}): Promise<ContainedCommand> {
  const namespace = await pidNamespace();
  const rlimits = prlimitArgs(limits);
  if (rlimits.length > 0 && !(await prlimitWorks()))
    throw new Error("resource limits for a spawned server need util-linux's prlimit, which this machine does not run");
  const argv = [...(rlimits.length > 0 ? ["prlimit", ...rlimits, "--"] : []), ...(namespace ?? []), "/bin/sh", "-c", command];
  return { file: argv[0]!, args: argv.slice(1), namespaced: namespace !== undefined };
}

function prlimitArgs(limits: ResourceLimits): string[] {
  const args: string[] = [];
  if (limits.memoryMiB !== undefined) args.push(`--as=${limits.memoryMiB * MIB}`);
  if (limits.cpuSeconds !== undefined) args.push(`--cpu=${limits.cpuSeconds}`);
  if (limits.processes !== undefined) args.push(`--nproc=${limits.processes}`);
  if (limits.fileSizeMiB !== undefined) args.push(`--fsize=${limits.fileSizeMiB * MIB}`);
  return args;
}

/**
 * The words that put a command in a PID namespace of its own (util-linux's unshare: `--kill-child` kills the
 * namespace's first process, and with it the namespace, when unshare itself is killed), or undefined where
 * that does not work: not Linux, no unshare, or user namespaces refused to an unprivileged user. Found once
 * per process by trying it.
 */
export function pidNamespace(): Promise<string[] | undefined> {
  namespaceProbe ??= probeNamespace();
  return namespaceProbe;
}
let namespaceProbe: Promise<string[] | undefined> | undefined;

async function probeNamespace(): Promise<string[] | undefined> {
  if (process.platform !== "linux") return undefined;
  // An unprivileged user needs a user namespace to make a PID namespace; mapped to itself, it keeps its rights.
  const words = [...(os.userInfo().uid === 0 ? [] : ["--user", "--map-current-user"]), "--pid", "--fork", "--kill-child", "--"];
  return (await runs("unshare", [...words, "true"])) ? ["unshare", ...words] : undefined;
}

let prlimitProbe: Promise<boolean> | undefined;
function prlimitWorks(): Promise<boolean> {
  prlimitProbe ??= runs("prlimit", ["--cpu=unlimited", "--", "true"]);
  return prlimitProbe;
}

function runs(file: string, args: string[]): Promise<boolean> {
  return new Promise((resolve) => execFile(file, args, { timeout: PROBE_TIMEOUT_MS }, (error) => resolve(error === null)));
}

/**
 * Whether a process handles a signal (has a handler or ignores it), from /proc/PID/status; false when it
 * cannot be told. A namespace's first process that does neither would have ended at the signal anywhere
 * else: the kit ends it as the signal would have.
 */
export async function handlesSignal(pid: number, signal: NodeJS.Signals): Promise<boolean> {
  const status = await readFile(`/proc/${pid}/status`, "utf8").catch(() => "");
  const bit = 1n << BigInt(os.constants.signals[signal] - 1);
  return ["SigCgt", "SigIgn"].some((field) => {
    const mask = new RegExp(`^${field}:\\s*([0-9a-f]+)$`, "m").exec(status)?.[1];
    return mask !== undefined && (BigInt(`0x${mask}`) & bit) !== 0n;
  });
}
