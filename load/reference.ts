import { fileURLToPath } from "node:url";

/**
 * The command that starts the reference server for a load run: `sockspec serve` as a process of its own,
 * so that it does not share the load generator's thread, with the capitalizer's quota raised out of reach.
 * `{host}` and `{port}` are left for spawnTarget to fill in.
 */
export function referenceServeCommand(protocol: "capitalizer" | "bank" | "status"): string {
  const cli = fileURLToPath(new URL("../cli/main.js", import.meta.url));
  const raised = protocol === "capitalizer" ? ` --limit quota=${Number.MAX_SAFE_INTEGER}` : "";
  return `"${process.execPath}" "${cli}" serve ${protocol} --host {host} --port {port}${raised}`;
}
