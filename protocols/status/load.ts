import http from "node:http";
import { answeredCodes, hasNoBody, textBody } from "./spec/index.js";
import { type Exchange, httpRequest, type LoadClient, type Workload } from "../../kit/serve.js";

/**
 * Status requests, each client on a keep-alive connection of its own, cycling through the codes the
 * service echoes; each answer's status and text body (none where HTTP forbids one) are checked. Each
 * answer is read with the kit's capped HTTP client: whole within the timeout, its body up to MAX_BODY_BYTES.
 */
export function statusWorkload(host: string, port: number, timeoutMs: number): Workload {
  return {
    protocol: "status",
    name: "echo",
    async open(index): Promise<LoadClient> {
      const agent = new http.Agent({ keepAlive: true, maxSockets: 1 });
      let asked = 0;
      const exchange = async (): Promise<Exchange> => {
        const code = answeredCodes[(index + asked++) % answeredCodes.length]!;
        const answer = await httpRequest({ host, port, agent }, { method: "GET", path: `/${code}` }, timeoutMs);
        if (answer.kind === "silence") return { kind: "timeout" };
        if (answer.kind === "refused") return { kind: "ended", reason: `the connection failed (${answer.code})` };
        const expected = `${code} ${hasNoBody(code) ? "(no body)" : textBody(code)}`;
        const body = answer.body.toString("utf8");
        const actual = `${answer.status} ${hasNoBody(code) && body === "" ? "(no body)" : body}`;
        if (answer.overflow) return { kind: "wrong", expected, actual, overflow: true };
        return actual === expected ? { kind: "ok" } : { kind: "wrong", expected, actual };
      };
      return { exchange, close: () => agent.destroy() };
    },
  };
}
