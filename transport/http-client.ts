import http from "node:http";
import https from "node:https";
import type { TranscriptRecorder } from "./transcript.js";

export interface HttpRequest {
  method: string;
  /** The request target: path and query. */
  path: string;
  headers?: Record<string, string>;
}

/** An HTTP answer as it came: the status line's code and reason phrase, headers (lower-case names), body. */
export interface HttpAnswer {
  kind: "answer";
  status: number;
  reason: string;
  headers: http.IncomingHttpHeaders;
  body: Buffer;
  /** From the request's start to the answer's last byte. */
  ms: number;
}

export type HttpResult = HttpAnswer | { kind: "silence" } | { kind: "refused"; code: string };

/** Where a request goes: a host and port, over TLS when secure (https). */
export interface HttpServer {
  host: string;
  port: number;
  secure?: boolean;
}

/** The request as one transcript line (request line and headers), the way it goes on the wire. */
export function requestText({ method, path, headers = {} }: HttpRequest): string {
  return [`${method} ${path} HTTP/1.1`, ...Object.entries(headers).map(([name, value]) => `${name}: ${value}`)].join("\n");
}

/** The answer's status line, headers and body, for a transcript. */
export function answerText(answer: HttpAnswer): string {
  const headers = Object.entries(answer.headers).map(([name, value]) => `${name}: ${Array.isArray(value) ? value.join(", ") : value}`);
  return [`HTTP/1.1 ${answer.status} ${answer.reason}`, ...headers, "", answer.body.toString("utf8")].join("\n");
}

/**
 * One HTTP/1.1 request on a connection of its own, recorded as a send and a recv (or silence) event of
 * `label`. Resolves with the answer, silence after timeoutMs, or the failure to connect (refused, a bad
 * certificate, an unknown host); never rejects.
 */
export function httpRequest(server: HttpServer, request: HttpRequest, timeoutMs: number, recorder?: TranscriptRecorder, label = "h1"): Promise<HttpResult> {
  return new Promise((resolve) => {
    const started = performance.now();
    recorder?.record(label, "send", Buffer.from(requestText(request)));
    const { host, port } = server;
    const outgoing = (server.secure ? https : http).request({ host, port, method: request.method, path: request.path, headers: request.headers, agent: false });
    const timer = setTimeout(() => {
      outgoing.destroy();
      recorder?.record(label, "silence");
      resolve({ kind: "silence" });
    }, timeoutMs);
    outgoing.on("response", (incoming) => {
      const chunks: Buffer[] = [];
      incoming.on("data", (chunk: Buffer) => chunks.push(chunk));
      incoming.on("end", () => {
        clearTimeout(timer);
        const answer: HttpAnswer = {
          kind: "answer",
          status: incoming.statusCode ?? 0,
          reason: incoming.statusMessage ?? "",
          headers: incoming.headers,
          body: Buffer.concat(chunks),
          ms: performance.now() - started,
        };
        recorder?.record(label, "recv", Buffer.from(answerText(answer)));
        resolve(answer);
      });
    });
    outgoing.on("error", (error: NodeJS.ErrnoException) => {
      clearTimeout(timer);
      recorder?.record(label, "refused");
      resolve({ kind: "refused", code: error.code ?? error.message });
    });
    outgoing.end();
  });
}
