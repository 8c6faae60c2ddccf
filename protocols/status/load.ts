import http from "node:http";
import { answeredCodes, hasNoBody, textBody } from "./spec/index.js";
import type { Exchange, LoadClient, Workload } from "../../load/driver.js";

/**
 * Status requests, each client on a keep-alive connection of its own, cycling through the codes the
 * service echoes; each answer's status and text body (none where HTTP forbids one) are checked.
 */
export function statusWorkload(host: string, port: number, timeoutMs: number): Workload {
  return {
    protocol: "status",
    name: "echo",
    async open(index): Promise<LoadClient> {
      const agent = new http.Agent({ keepAlive: true, maxSockets: 1 });
      let asked = 0;
      const exchange = () =>
        new Promise<Exchange>((resolve) => {
          const code = answeredCodes[(index + asked++) % answeredCodes.length]!;
          let settled = false;
          const settle = (exchange: Exchange) => {
            if (!settled) resolve(exchange);
            settled = true;
          };
          const request = http.request({ host, port, path: `/${code}`, agent }, (response) => {
            const chunks: Buffer[] = [];
            response.on("data", (chunk: Buffer) => chunks.push(chunk));
            response.on("end", () => {
              const expected = `${code} ${hasNoBody(code) ? "(no body)" : textBody(code)}`;
              const body = Buffer.concat(chunks).toString("utf8");
              const actual = `${response.statusCode} ${hasNoBody(code) && body === "" ? "(no body)" : body}`;
              settle(actual === expected ? { kind: "ok" } : { kind: "wrong", expected, actual });
            });
          });
          request.setTimeout(timeoutMs, () => {
            settle({ kind: "timeout" });
            request.destroy();
          });
          request.on("error", (error: NodeJS.ErrnoException) => settle({ kind: "ended", reason: `the connection failed (${error.code ?? error.message})` }));
          request.end();
        });
      return { exchange, close: () => agent.destroy() };
    },
  };
}
