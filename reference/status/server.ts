import http from "node:http";
import {
  acceptsJson,
  answeredCodes,
  badSleepBody,
  challengeHeader,
  hasNoBody,
  jsonBody,
  needsLocation,
  carriesRetryAfter,
  reasonPhrases,
  unframedBodyBody,
  status,
  textBody,
  unsupportedCodeBody,
  type StatusSpec,
} from "../../spec/status/index.js";

export interface StatusServerOptions {
  spec?: StatusSpec;
}

/** At most this much of a requested path is echoed back in a bad-request body. */
const ECHOED_PATH = 64;

interface Answer {
  code: number;
  reason: string;
  headers: Record<string, string>;
  body?: string;
}

/**
 * The reference status server on Node's http. Every answer is computed from the spec and the
 * reason-phrase table; a sleep is a timer per request (so it delays no other request), cleared when the
 * client goes away or the server closes.
 */
export function createStatusServer(options: StatusServerOptions = {}): http.Server {
  const spec = options.spec ?? status;
  const { wireTexts, limits } = spec;
  const answered = new Set(answeredCodes);
  const text = (code: number, body: string, headers: Record<string, string> = {}): Answer => ({
    code,
    reason: reasonPhrases.get(code)!,
    headers: { "content-type": wireTexts.textContentType, ...headers },
    body,
  });

  function echo(code: number, json: boolean): Answer {
    const headers: Record<string, string> = { vary: "Accept" };
    if (needsLocation(code)) headers.location = wireTexts.redirectLocation;
    const challenge = challengeHeader(code);
    if (challenge) headers[challenge] = wireTexts.authenticateChallenge;
    if (carriesRetryAfter(code)) headers["retry-after"] = wireTexts.retryAfter;
    const reason = reasonPhrases.get(code)!;
    if (hasNoBody(code)) return { code, reason, headers };
    if (json) return { code, reason, headers: { ...headers, "content-type": wireTexts.jsonContentType }, body: JSON.stringify(jsonBody(code)) };
    return { code, reason, headers: { ...headers, "content-type": wireTexts.textContentType }, body: textBody(code, spec) };
  }

  /** The answer to a request and how long to sleep first. */
  function route(request: http.IncomingMessage): { answer: Answer; sleepMs: number } {
    const now = (answer: Answer) => ({ answer, sleepMs: 0 });
    if (request.method !== "GET" && request.method !== "HEAD") return now(text(405, wireTexts.methodNotAllowed, { allow: wireTexts.allowedMethods }));
    // The request target as it came: read as a URL, `//200` would be a host named 200.
    const [pathname = "/", query = ""] = (request.url ?? "/").split(/\?(.*)/s);
    if (pathname === "/") return now(text(200, wireTexts.index));
    const requested = pathname.slice(1);
    // What follows a slash after the code is ignored (STATUS-PATH-SUFFIX).
    const [first = ""] = requested.split("/", 1);
    const code = /^[0-9]{3}$/.test(first) ? Number(first) : NaN;
    if (!answered.has(code)) return now(text(400, unsupportedCodeBody(decodeURIComponentSafe(requested).slice(0, ECHOED_PATH), spec)));
    const sleep = new URLSearchParams(query).get("sleep");
    const sleepMs = sleep === null ? 0 : /^[0-9]{1,9}$/.test(sleep) ? Number(sleep) : NaN;
    if (!(sleepMs <= limits.maxSleepMs)) return now(text(400, badSleepBody(spec)));
    return { answer: echo(code, acceptsJson(request.headers.accept)), sleepMs };
  }

  const sleeping = new Set<NodeJS.Timeout>();
  const server = http.createServer((request, response) => {
    // A body whose length cannot be known (RFC 9112 6.1: a Transfer-Encoding that does not end in chunked).
    const codings = request.headers["transfer-encoding"]?.split(",").map((c) => c.trim().toLowerCase());
    if (codings && codings.at(-1) !== "chunked") {
      const body = Buffer.from(unframedBodyBody(spec));
      response.writeHead(400, reasonPhrases.get(400), { "content-type": wireTexts.textContentType, "content-length": body.length, connection: "close" });
      return void response.end(body);
    }
    const { answer, sleepMs } = route(request);
    const send = () => {
      const body = answer.body === undefined ? undefined : Buffer.from(answer.body, "utf8");
      const length = body ? { "content-length": String(body.length) } : {};
      response.writeHead(answer.code, answer.reason, { ...answer.headers, ...length });
      response.end(request.method === "HEAD" ? undefined : body);
    };
    if (sleepMs === 0) return send();
    const timer = setTimeout(() => {
      sleeping.delete(timer);
      send();
    }, sleepMs);
    sleeping.add(timer);
    response.once("close", () => {
      clearTimeout(timer);
      sleeping.delete(timer);
    });
  });
  server.once("close", () => sleeping.forEach(clearTimeout));
  return server;
}

function decodeURIComponentSafe(text: string): string {
  try {
    return decodeURIComponent(text);
  } catch {
    return text;
  }
}
