import http from "node:http";
import https from "node:https";
import { waited } from "./margins.js";
import type { TranscriptRecorder } from "./transcript.js";

export interface HttpRequest {
  method: string;
  /** The request target: path and query. */
  path: string;
  headers?: Record<string, string>;
  /** A body to send (with its Content-Length). */
  body?: string;
}

/** An HTTP answer as it came: the status line's code and reason phrase, headers (lower-case names), body. */
export interface HttpAnswer {
  kind: "answer";
  status: number;
  reason: string;
  headers: http.IncomingHttpHeaders;
  body: Buffer;
  /** The body went on past MAX_BODY_BYTES: `body` holds its first bytes, and the kit hung up. */
  overflow?: true;
  /** From the request's start to the answer's last byte. */
  ms: number;
}

/** The most of a body the kit takes in: many times the largest body a correct status server sends. */
export const MAX_BODY_BYTES = 64 * 1024;

export type HttpResult = HttpAnswer | { kind: "silence" } | { kind: "refused"; code: string };

/** Where a request goes: a host and port, over TLS when secure (https). */
export interface HttpServer {
  host: string;
  port: number;
  secure?: boolean;
  /** Keep-alive connections to reuse (`sockspec bench`); without it, a connection per request. */
  agent?: http.Agent;
}

/** The request as one transcript line (request line and headers), the way it goes on the wire. */
export function requestText({ method, path, headers = {}, body }: HttpRequest): string {
  const head = [`${method} ${path} HTTP/1.1`, ...Object.entries(headers).map(([name, value]) => `${name}: ${value}`)];
  return (body === undefined ? head : [...head, "", body]).join("\n");
}

/** The answer's status line, headers and body, for a transcript. */
export function answerText(answer: HttpAnswer): string {
  const headers = Object.entries(answer.headers).map(([name, value]) => `${name}: ${Array.isArray(value) ? value.join(", ") : value}`);
  return [`HTTP/1.1 ${answer.status} ${answer.reason}`, ...headers, "", answer.body.toString("utf8")].join("\n");
}

/**
 * One HTTP/1.1 request on a connection of its own, recorded as a send and a recv (or silence) event of
 * `label`. Resolves with the answer, silence when the whole answer did not come within timeoutMs, or the
 * failure to connect or to parse the answer (refused, a bad certificate, an unknown host, headers past
 * Node's 16 KiB); never rejects. A body past MAX_BODY_BYTES is cut there and the connection closed.
 */
export function httpRequest(server: HttpServer, request: HttpRequest, timeoutMs: number, recorder?: TranscriptRecorder, label = "h1"): Promise<HttpResult> {
  return new Promise((resolve) => {
    const started = performance.now();
    recorder?.record(label, "send", Buffer.from(requestText(request)));
    const { host, port, agent = false } = server;
    const outgoing = (server.secure ? https : http).request({ host, port, method: request.method, path: request.path, headers: request.headers, agent });
    // The first of the answer, the timeout and an error settles it; what happens after (the close the kit
    // caused) is not recorded. The timeout is the whole answer's, not an idle one: interim (1xx) answers
    // or a body that keeps trickling do not extend it.
    let settled = false;
    const settle = (result: HttpResult, event: () => void) => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      event();
      resolve(result);
    };
    const timer = setTimeout(() => {
      outgoing.destroy();
      settle({ kind: "silence" }, () => recorder?.record(label, "silence"));
    }, timeoutMs);
    outgoing.on("response", (incoming) => {
      waited(performance.now() - started, timeoutMs);
      const chunks: Buffer[] = [];
      let length = 0;
      const finish = (overflow: boolean) => {
        const answer: HttpAnswer = {
          kind: "answer",
          status: incoming.statusCode ?? 0,
          reason: incoming.statusMessage ?? "",
          headers: incoming.headers,
          body: Buffer.concat(chunks).subarray(0, MAX_BODY_BYTES),
          ...(overflow ? { overflow: true as const } : {}),
          ms: performance.now() - started,
        };
        settle(answer, () => recorder?.record(label, "recv", Buffer.from(answerText(answer))));
      };
      incoming.on("data", (chunk: Buffer) => {
        chunks.push(chunk);
        length += chunk.length;
        if (length <= MAX_BODY_BYTES) return;
        finish(true);
        outgoing.destroy();
      });
      incoming.on("end", () => finish(false));
    });
    outgoing.on("error", (error: NodeJS.ErrnoException) => {
      const code = error.code ?? error.message;
      const why = code === "ECONNRESET" ? "reset" : code === "ETIMEDOUT" ? "timed out" : `refused (${code})`;
      settle({ kind: "refused", code }, () => recorder?.record(label, "refused", Buffer.from(why)));
    });
    outgoing.end(request.body);
  });
}
