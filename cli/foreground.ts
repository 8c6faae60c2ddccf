/**
 * For commands that run until stopped (`serve`, `record`): prints the line whoever started them waits for,
 * then waits for SIGINT or SIGTERM. They outlive whoever reads their output, so a closed pipe is ignored.
 */
export function runUntilStopped(readyLine: string): Promise<NodeJS.Signals> {
  process.stdout.on("error", () => {});
  process.stdout.write(`${readyLine}\n`);
  return new Promise((resolve) => {
    process.once("SIGINT", resolve);
    process.once("SIGTERM", resolve);
  });
}
