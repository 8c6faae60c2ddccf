import { spawn } from "node:child_process";
import { hostPort } from "../transport/address.js";
import { TargetUnavailableError, type Target } from "./target.js";

/** How long a reset command may take. */
const RESET_TIMEOUT_MS = 60_000;

/** Runs a shell command with HOST and PORT in its environment; rejects with its exit and first line of output. */
function runReset(command: string, host: string, port: number): Promise<void> {
  return new Promise((resolve, reject) => {
    const child = spawn(command, { shell: true, stdio: ["ignore", "pipe", "pipe"], env: { ...process.env, HOST: host, PORT: String(port) } });
    let output = "";
    const keep = (chunk: Buffer) => (output += chunk.toString("utf8"));
    child.stdout!.on("data", keep);
    child.stderr!.on("data", keep);
    const timer = setTimeout(() => child.kill("SIGKILL"), RESET_TIMEOUT_MS);
    child.once("error", (error) => {
      clearTimeout(timer);
      reject(new TargetUnavailableError(`--reset command could not run: ${error.message}`));
    });
    child.once("close", (code, signal) => {
      clearTimeout(timer);
      if (code === 0) return resolve();
      const said = output.trim().split("\n")[0];
      reject(new TargetUnavailableError(`--reset command failed (${signal ?? `exit ${code}`})${said ? `: ${said}` : ""}`));
    });
  });
}

/**
 * A running server that a command puts back into a fresh state, like Pact's provider states: before each
 * check run that needs a fresh server the command runs (HOST and PORT in its environment), and must exit 0
 * once the server at host:port is ready again. Rules that restart or kill servers still need --spawn.
 */
export function resetTarget(host: string, port: number, command: string): Target {
  return {
    label: `${hostPort(host, port)}, reset by: ${command}`,
    fresh: true,
    start: async () => {
      await runReset(command, host, port);
      return { host, port, stop: async () => {} };
    },
  };
}
