import http from "node:http";
import type net from "node:net";
import { randomInt } from "node:crypto";
import {
  acceptsJson,
  answeredMethods,
  badRangeBody,
  badSleepBody,
  badSuppressBodyBody,
  carriesRetryAfter,
  challengeHeader,
  codeAt,
  copiedHeaders,
  descriptionOf,
  hasNoBody,
  isAnswered,
  jsonBody,
  needsLocation,
  notFoundBody,
  parseBoolean,
  parseInteger,
  parseRandomRange,
  reasonPhrases,
  status,
  textBody,
  unframedBodyBody,
  unsupportedCodeBody,
  type StatusSpec,
} from "../spec/index.js";

export interface StatusServerOptions {
  spec?: StatusSpec;
  /** Connections served at once from one IP address; the spec's maxConnectionsPerAddress by default. */
  maxConnectionsPerAddress?: number;
}

/** At most this much of a requested path is echoed back in a bad-request or not-found body. */
const ECHOED_PATH = 64;

/** How long a refused connection has to read its refusal and close before it is dropped. */
const REFUSAL_GRACE_MS = 1000;

/** Header name (lower case) to its values, each sent as a line of its own. */
type Headers = Map<string, string[]>;

interface Answer {
  code: number;
  reason: string;
  headers: Headers;
  body?: string;
}

/**
 * The reference status server on Node's http, a local httpstat.us. Every answer is computed from the spec
 * and the reason-phrase table; a sleep is a timer per request (so it delays no other request), cleared when
 * the client goes away or the server closes.
 */
export function createStatusServer(options: StatusServerOptions = {}): http.Server {
  const spec = options.spec ?? status;
  const { wireTexts, limits } = spec;
  const answered = new Set(answeredMethods(spec));
  const headers = (entries: Record<string, string>): Headers => new Map(Object.entries(entries).map(([name, value]) => [name, [value]]));
  const text = (code: number, body: string, extra: Record<string, string> = {}): Answer => ({
    code,
    reason: reasonPhrases.get(code)!,
    headers: headers({ "content-type": wireTexts.textContentType, ...extra }),
    body,
  });

  function echo(code: number, json: boolean, suppressBody: boolean): Answer {
    const named = headers({ vary: "Accept" });
    if (needsLocation(code)) named.set("location", [wireTexts.redirectLocation]);
    const challenge = challengeHeader(code);
    if (challenge) named.set(challenge.toLowerCase(), [wireTexts.authenticateChallenge]);
    if (carriesRetryAfter(code)) named.set("retry-after", [wireTexts.retryAfter]);
    const reason = descriptionOf(code, spec);
    if (hasNoBody(code) || suppressBody) return { code, reason, headers: named };
    if (json) return { code, reason, headers: named.set("content-type", [wireTexts.jsonContentType]), body: JSON.stringify(jsonBody(code, spec)) };
    return { code, reason, headers: named.set("content-type", [wireTexts.textContentType]), body: textBody(code, spec) };
  }

  /** The code a path asks for, or the answer that refuses it. */
  function requestedCode(requested: string): number | Answer {
    const [first = "", range] = requested.split("/").map(decodeURIComponentSafe);
    if (first.toLowerCase() === "random" && range) {
      const drawn = parseRandomRange(range, spec);
      return drawn ? codeAt(drawn.spans, randomInt(drawn.size)) : text(400, badRangeBody(spec));
    }
    const code = parseInteger(first);
    return code === undefined ? text(404, notFoundBody(decodeURIComponentSafe(requested).slice(0, ECHOED_PATH), spec)) : code;
  }

  /** The answer to a request and how long to sleep first. */
  function route(request: http.IncomingMessage): { answer: Answer; sleepMs: number } {
    const now = (answer: Answer) => ({ answer, sleepMs: 0 });
    if (!answered.has(request.method ?? "")) return now(text(405, wireTexts.methodNotAllowed, { allow: wireTexts.allowedMethods }));
    // The request target as it came: read as a URL, `//200` would be a host named 200.
    const [pathname = "/", query = ""] = (request.url ?? "/").split(/\?(.*)/s);
    if (pathname === "/") return now(text(200, wireTexts.index));
    const code = requestedCode(pathname.slice(1));
    if (typeof code !== "number") return now(code);
    if (!isAnswered(code, spec)) return now(text(400, unsupportedCodeBody(String(code), spec)));
    const params = new URLSearchParams(query);
    const sleep = setting(params, "sleep", request, wireTexts.sleepHeader, parseInteger);
    if (sleep === UNREADABLE || (sleep ?? 0) > limits.maxSleepMs) return now(text(400, badSleepBody(spec)));
    const suppress = setting(params, "suppressBody", request, wireTexts.suppressBodyHeader, parseBoolean);
    if (suppress === UNREADABLE) return now(text(400, badSuppressBodyBody(spec)));
    const answer = echo(code, acceptsJson(request.headers.accept), suppress === true);
    for (const [name, value] of copiedHeaders(request.rawHeaders, spec).filter(sendable)) {
      const key = name.toLowerCase();
      if (key === "location" || key === "retry-after") answer.headers.set(key, [value]);
      else answer.headers.set(key, [...(answer.headers.get(key) ?? []), value]);
    }
    return { answer, sleepMs: Math.max(0, sleep ?? 0) };
  }

  /** The CORS headers an answer gets (STATUS-CORS), or the whole answer to a preflight (STATUS-CORS-PREFLIGHT). */
  function cors(request: http.IncomingMessage): { preflight?: Answer; headers: Record<string, string> } {
    if (request.headers.origin === undefined) return { headers: {} };
    const method = request.headers["access-control-request-method"];
    if (request.method === "OPTIONS" && method !== undefined) {
      const asked = request.headers["access-control-request-headers"];
      const allowed: Record<string, string> = { "access-control-allow-origin": wireTexts.corsAllowOrigin, "access-control-allow-methods": method };
      if (asked !== undefined) allowed["access-control-allow-headers"] = asked;
      return { preflight: { code: 204, reason: reasonPhrases.get(204)!, headers: headers(allowed) }, headers: {} };
    }
    return { headers: { "access-control-allow-origin": wireTexts.corsAllowOrigin, "access-control-expose-headers": wireTexts.corsExposeHeaders } };
  }

  const sleeping = new Set<NodeJS.Timeout>();
  const server = http.createServer((request, response) => {
    const allowed = cors(request);
    const write = (answer: Answer, extra: Record<string, string> = {}) => {
      const body = answer.body === undefined ? undefined : Buffer.from(answer.body, "utf8");
      const lines: Record<string, string[]> = Object.fromEntries(answer.headers);
      for (const [name, value] of Object.entries({ ...allowed.headers, ...extra })) lines[name] = [value];
      // A body-less answer that HTTP lets have one says it is empty, rather than leaving the client to wait for the close.
      if (body || !hasNoBody(answer.code)) lines["content-length"] = [String(body?.length ?? 0)];
      response.writeHead(answer.code, answer.reason, lines);
      response.end(request.method === "HEAD" ? undefined : body);
    };
    // A body whose length cannot be known (RFC 9112 6.1: a Transfer-Encoding that does not end in chunked).
    const codings = request.headers["transfer-encoding"]?.split(",").map((c) => c.trim().toLowerCase());
    if (codings && codings.at(-1) !== "chunked") return write(text(400, unframedBodyBody(spec)), { connection: "close" });
    if (allowed.preflight) return write(allowed.preflight);
    const { answer, sleepMs } = route(request);
    if (sleepMs === 0) return write(answer);
    const timer = setTimeout(() => {
      sleeping.delete(timer);
      write(answer);
    }, sleepMs);
    sleeping.add(timer);
    response.once("close", () => {
      clearTimeout(timer);
      sleeping.delete(timer);
    });
  });
  server.once("close", () => sleeping.forEach(clearTimeout));
  capConnectionsPerAddress(server, options.maxConnectionsPerAddress ?? limits.maxConnectionsPerAddress, refusal(echo(503, false, false)));
  return server;
}

/** An answer as bytes on the wire, closing the connection. */
function refusal(answer: Answer): Buffer {
  const body = Buffer.from(answer.body ?? "", "utf8");
  const lines = [...answer.headers].flatMap(([name, values]) => values.map((value) => `${name}: ${value}`));
  const head = [`HTTP/1.1 ${answer.code} ${answer.reason}`, ...lines, `content-length: ${body.length}`, "connection: close", "", ""].join("\r\n");
  return Buffer.concat([Buffer.from(head, "latin1"), body]);
}

/**
 * Hands http a connection only while its address has fewer than `max` open: a client that sends its
 * headers slowly holds its connection until they are complete, and one address holding thousands would
 * starve every other. A further connection is refused at once, before a request is read on it.
 */
function capConnectionsPerAddress(server: http.Server, max: number, refusal: Buffer): void {
  const listeners = server.listeners("connection") as Array<(socket: net.Socket) => void>;
  if (listeners.length !== 1) throw new Error(`http.Server has ${listeners.length} connection listeners, where one serves HTTP`);
  const serve = listeners[0]!;
  server.removeAllListeners("connection");
  const openFrom = new Map<string, number>();
  server.on("connection", (socket: net.Socket) => {
    const address = socket.remoteAddress ?? "";
    const open = openFrom.get(address) ?? 0;
    if (open >= max) return refuse(socket, refusal);
    openFrom.set(address, open + 1);
    socket.once("close", () => {
      if (openFrom.get(address) === 1) openFrom.delete(address);
      else openFrom.set(address, openFrom.get(address)! - 1);
    });
    serve.call(server, socket);
  });
}

/**
 * Sends the refusal and the FIN; what the client sends is taken in and dropped, so that the close does not
 * reset the connection before the refusal is read. A client that ignores the FIN is dropped soon after.
 */
function refuse(socket: net.Socket, refusal: Buffer): void {
  socket.on("error", () => socket.destroy());
  socket.resume();
  socket.end(refusal);
  const drop = setTimeout(() => socket.destroy(), REFUSAL_GRACE_MS);
  socket.once("close", () => clearTimeout(drop));
}

/** A query parameter's value the service cannot read: the request is refused. */
const UNREADABLE = Symbol("unreadable");

/**
 * A setting of a request, as httpstat.us reads one: the query parameter (named in any case, an empty value
 * counting as absent) decides, and one it cannot read, or named more than once, refuses the request; without
 * it, the request header, ignored when unreadable; undefined when neither says.
 */
function setting<T>(
  params: URLSearchParams,
  name: string,
  request: http.IncomingMessage,
  header: string,
  read: (text: string) => T | undefined,
): T | typeof UNREADABLE | undefined {
  const given = [...params].filter(([key]) => key.toLowerCase() === name.toLowerCase()).map(([, value]) => value);
  if (given.length > 1) return UNREADABLE;
  if (given[0]) return read(given[0]) ?? UNREADABLE;
  const value = request.headers[header.toLowerCase()];
  return typeof value === "string" ? read(value) : undefined;
}

/** Whether Node will send a header as it came in: its parser is more lenient than its writer in places. */
function sendable([name, value]: [string, string]): boolean {
  try {
    http.validateHeaderName(name);
    http.validateHeaderValue(name, value);
    return true;
  } catch {
    return false;
  }
}

function decodeURIComponentSafe(text: string): string {
  try {
    return decodeURIComponent(text);
  } catch {
    return text;
  }
}
