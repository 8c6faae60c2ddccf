import http from "node:http";
import type net from "node:net";
import { createStatusServer } from "../reference/server.js";
import {
  answeredCodes,
  asksForHeader,
  copiedHeaders,
  descriptionOf,
  hasNoBody,
  jsonBody,
  notFoundPattern,
  parseInteger,
  reasonPhrases,
  status,
  textBody,
  unsupportedCodePattern,
} from "../spec/index.js";
import type { BrokenServer } from "../../../kit/index.js";
import type { StatusRuleId } from "../spec/rule-ids.js";

/** One defect each: what a deliberately broken status server gets wrong. */
export interface StatusDefects {
  /** Answers 200 whenever the request has an Accept header (as if it were a browser asking for a page). */
  okWhenAccepting?: boolean;
  /** Upper-cases the reason phrase. */
  upperCaseReason?: boolean;
  /** Leaves the reason phrase out of the text body (`404` instead of `404 Not Found`). */
  textBodyWithoutReason?: boolean;
  /** Writes the code as a string in the JSON body (`"code": "404"`). */
  jsonCodeAsString?: boolean;
  /** Sends the text body on 205 Reset Content, which HTTP forbids. */
  bodyOn205?: boolean;
  /** Leaves the Location header out of redirects. */
  noLocation?: boolean;
  /** Answers a path with more after the code (`/200/x`) as a code it does not serve. */
  pathSuffixRefused?: boolean;
  /** Leaves the challenge header out of 401 and 407 answers. */
  noAuthChallenge?: boolean;
  /** Sends Retry-After on 429 only. */
  retryAfterOn429Only?: boolean;
  /** Gives HEAD answers a Content-Type of their own (text/html). */
  headContentTypeOfItsOwn?: boolean;
  /** Answers a code the table does not know with the reason phrase `Unknown Code` (without the code). */
  unknownReasonWithoutCode?: boolean;
  /** Reads a code led by `+` (`/+200`) as no code (404). */
  plusSignNotACode?: boolean;
  /** Answers a path that names no code with 400 and the bad-request body, not 404. */
  nonCodeIs400?: boolean;
  /** Refuses a negative sleep with 400. */
  negativeSleepRefused?: boolean;
  /** Ignores the sleep header. */
  sleepHeaderIgnored?: boolean;
  /** Ignores suppressBody, in the query and in the header. */
  suppressBodyIgnored?: boolean;
  /** Copies no header named with the response-header prefix into the answer. */
  responseHeadersIgnored?: boolean;
  /** Answers /random/<range> always with the range's first code. */
  randomAlwaysFirst?: boolean;
  /** Answers POST with 405, as if only GET and HEAD were served. */
  postRefused?: boolean;
  /** Leaves the CORS headers out of answers (a preflight still gets its own). */
  noCors?: boolean;
  /** Answers a CORS preflight as a plain OPTIONS request (as GET). */
  preflightAsGet?: boolean;
  /** Ignores the sleep parameter altogether: no delay, and no bad-request answer for a bad one. */
  sleepIgnored?: boolean;
  /** Checks the sleep parameter but answers at once. */
  noSleep?: boolean;
  /** Answers every request this many milliseconds late, as on a loaded machine (for a test of its own: the catalogue would take a minute). */
  lateMs?: number;
  /** Serves one request at a time, so that a sleeping request holds up every other. */
  oneRequestAtATime?: boolean;
  /** Takes a sleep it cannot read (negative, fractional, not a number) as no sleep; one above the bound still gets 400. */
  unreadableSleepIsNone?: boolean;
  /** Answers a code it does not serve with 404 Not Found (and the bad-request body) instead of 400. */
  unsupportedIs404?: boolean;
  /** Answers another method with 405 but no Allow header. */
  noAllowHeader?: boolean;
  /** After a bad request for an unsupported code, answers the next request for a code with 200 OK (a status left over). */
  okAfterUnsupported?: boolean;
  /** Takes the first of a sleep or suppressBody parameter given twice. */
  repeatedParameterFirstWins?: boolean;
  /** Reads an integer with whitespace around it (`/%20200`, `?sleep=+50`) as none. */
  integerWithSpaceRefused?: boolean;
  /** Sends Content-Type text/plain on 204, 205 and 304, without a body. */
  contentTypeWithoutBody?: boolean;
  /** Waits out the sleep a refused request asks for before refusing it. */
  sleepBeforeRefusal?: boolean;
  /** Answers a path that names no code with 400 when its query has a sleep or suppressBody (the query judged first). */
  queryBeforePath?: boolean;
  /** Copies the headers a refused request asks for into the refusal. */
  copiesOnRefusal?: boolean;
  /** Answers every request with 200 and a welcome page, like the site in the write-up. */
  welcomePageForEverything?: boolean;
  /**
   * Serves at most this many connections at once, whoever opens them, and keeps a further one waiting until
   * one of them closes: a fixed pool of workers, each held by a connection until its request is done.
   */
  connectionSlots?: number;
}

type Handler = (request: http.IncomingMessage, response: http.ServerResponse) => void;

/** An answer as the reference was about to send it: what a defect may change. */
interface Answer {
  code: number;
  reason: string;
  headers: http.OutgoingHttpHeaders;
  body?: Buffer;
  /** How long to wait before sending it. */
  delayMs?: number;
}

const unsupportedBody = new RegExp(unsupportedCodePattern(), "s");
const notFoundBody = new RegExp(notFoundPattern(), "s");
// The service reads query names in any case.
const sleepsOf = (request: http.IncomingMessage) =>
  [...new URL(request.url ?? "/", "http://x").searchParams].filter(([name]) => name.toLowerCase() === "sleep").map(([, value]) => value);
/** The sleep a request asks for in its query, when it names one once. */
const sleepOf = (request: http.IncomingMessage) => {
  const sleeps = sleepsOf(request);
  return sleeps.length === 1 ? sleeps[0]! : null;
};
/** The URL with only the query parameters `keep` keeps, given each one's name in lower case and how many of that name came before. */
function filterQuery(url: string, keep: (name: string, before: number) => boolean): string {
  const [pathname = "/", query] = url.split(/\?(.*)/s);
  if (query === undefined) return url;
  const seen = new Map<string, number>();
  const kept = query.split("&").filter((param) => {
    const name = param.split("=")[0]!.toLowerCase();
    const before = seen.get(name) ?? 0;
    seen.set(name, before + 1);
    return keep(name, before);
  });
  return kept.length > 0 ? `${pathname}?${kept.join("&")}` : pathname;
}
const withoutSleep = (request: http.IncomingMessage) => {
  request.url = filterQuery(request.url ?? "/", (name) => name !== "sleep");
};
/** Raw headers without those the reference would copy into its answer. */
const withoutCopies = (raw: string[]) => raw.filter((_, i) => !asksForHeader(raw[i - (i % 2)]!));
/** The URL with a code or sleep that has whitespace around it made unreadable. */
function spaceRefused(url: string): string {
  const spaced = (text: string) => /^\s|\s$/.test(text);
  const [pathname = "/", query] = url.split(/\?(.*)/s);
  const first = decodeURIComponent(pathname.split("/")[1] ?? "");
  const path = spaced(first) ? "/not-a-code" : pathname;
  const sleep = [...new URLSearchParams(query ?? "")].find(([name]) => name.toLowerCase() === "sleep")?.[1];
  return `${path}${query === undefined ? "" : `?${sleep !== undefined && spaced(sleep) ? query.replace(/sleep=[^&]*/i, "sleep=refused") : query}`}`;
}
const isEcho = (request: http.IncomingMessage) => answeredCodes.includes(Number(new URL(request.url ?? "/", "http://x").pathname.slice(1)));

/**
 * Runs the reference's handler and lets `change` rewrite the answer it was about to send (its Content-Length
 * follows a changed body).
 */
function rewriting(handler: Handler, change: (answer: Answer, request: http.IncomingMessage) => void): Handler {
  return (request, response) => {
    const writeHead = response.writeHead.bind(response) as (code: number, reason: string, headers: http.OutgoingHttpHeaders) => http.ServerResponse;
    const end = response.end.bind(response) as (body?: Buffer) => http.ServerResponse;
    let head: Answer | undefined;
    response.writeHead = ((code: number, reason: string, headers: http.OutgoingHttpHeaders) => {
      // One value per header, as a string, so that a defect can compare and replace it.
      head = {
        code,
        reason,
        headers: Object.fromEntries(Object.entries(headers).map(([name, value]) => [name, Array.isArray(value) && value.length === 1 ? value[0] : value])),
      };
      return response;
    }) as typeof response.writeHead;
    response.end = ((body?: Buffer) => {
      const answer = { ...head!, body };
      change(answer, request);
      if (answer.body !== body && answer.body !== undefined) answer.headers["content-length"] = String(answer.body.length);
      const send = () => {
        writeHead(answer.code, answer.reason, answer.headers);
        end(answer.body);
      };
      if (answer.delayMs) setTimeout(send, answer.delayMs);
      else send();
      return response;
    }) as typeof response.end;
    handler(request, response);
  };
}

/**
 * Hands http at most `slots` connections at once, the others queued in the order they came: a client that
 * never finishes its request head holds its slot for as long as it likes.
 */
function poolConnections(server: http.Server, slots: number): void {
  const [serve] = server.listeners("connection") as Array<(socket: net.Socket) => void>;
  server.removeAllListeners("connection");
  const waiting: net.Socket[] = [];
  let busy = 0;
  const take = (socket: net.Socket) => {
    busy++;
    socket.once("close", () => {
      busy--;
      const next = waiting.shift();
      if (next) take(next);
    });
    serve!.call(server, socket);
  };
  server.on("connection", (socket: net.Socket) => {
    if (busy < slots) return take(socket);
    waiting.push(socket);
    // One that goes away while it waits frees no slot and takes none.
    socket.once("close", () => {
      const at = waiting.indexOf(socket);
      if (at >= 0) waiting.splice(at, 1);
    });
  });
}

/** The reference status server with exactly the given defects. */
export function createBrokenStatusServer(defects: StatusDefects): http.Server {
  if (defects.welcomePageForEverything)
    return http.createServer((_request, response) => {
      response.writeHead(200, { "content-type": "text/html" });
      response.end("<html><body>Welcome</body></html>");
    });
  const server = createStatusServer();
  if (defects.connectionSlots !== undefined) poolConnections(server, defects.connectionSlots);
  const [reference] = server.listeners("request") as Handler[];
  server.removeAllListeners("request");
  let unsupportedBefore = false;
  const rewritten = rewriting(reference!, (answer, request) => {
    const { wireTexts } = status;
    if (defects.okWhenAccepting && request.headers.accept !== undefined) answer.code = 200;
    if (defects.upperCaseReason && reasonPhrases.has(answer.code)) answer.reason = answer.reason.toUpperCase();
    const text = answer.body?.toString();
    if (defects.textBodyWithoutReason && text === textBody(answer.code)) answer.body = Buffer.from(String(answer.code));
    if (defects.jsonCodeAsString && text === JSON.stringify(jsonBody(answer.code)))
      answer.body = Buffer.from(JSON.stringify({ ...jsonBody(answer.code), code: String(answer.code) }));
    if (defects.bodyOn205 && answer.code === 205) {
      answer.headers["content-type"] = wireTexts.textContentType;
      if (request.method !== "HEAD") answer.body = Buffer.from(textBody(205));
    }
    if (defects.noLocation && answer.headers.location === status.wireTexts.redirectLocation) delete answer.headers.location;
    if (defects.noAuthChallenge) for (const header of ["www-authenticate", "proxy-authenticate"]) delete answer.headers[header];
    if (defects.retryAfterOn429Only && answer.code !== 429 && answer.headers["retry-after"] === status.wireTexts.retryAfter)
      delete answer.headers["retry-after"];
    const type = answer.headers["content-type"];
    if (defects.headContentTypeOfItsOwn && request.method === "HEAD" && typeof type === "string") answer.headers["content-type"] = "text/html";
    if (defects.unknownReasonWithoutCode && answer.reason === descriptionOf(answer.code) && !reasonPhrases.has(answer.code)) answer.reason = "Unknown Code";
    if (defects.nonCodeIs400 && notFoundBody.test(text ?? "")) [answer.code, answer.reason] = [400, reasonPhrases.get(400)!];
    const preflight = request.method === "OPTIONS" && request.headers["access-control-request-method"] !== undefined;
    if (defects.noCors && !preflight) for (const header of ["access-control-allow-origin", "access-control-expose-headers"]) delete answer.headers[header];
    const unsupported = answer.code === 400 && unsupportedBody.test(answer.body?.toString() ?? "");
    if (defects.unsupportedIs404 && unsupported) [answer.code, answer.reason] = [404, reasonPhrases.get(404)!];
    if (defects.noAllowHeader) delete answer.headers.allow;
    if (defects.okAfterUnsupported && unsupportedBefore && isEcho(request)) [answer.code, answer.reason] = [200, reasonPhrases.get(200)!];
    unsupportedBefore = unsupported;
    if (defects.contentTypeWithoutBody && hasNoBody(answer.code)) answer.headers["content-type"] = wireTexts.textContentType;
    const refusal = answer.code === 400 || answer.code === 404;
    const asked = parseInteger(sleepOf(request) ?? request.headers[wireTexts.sleepHeader.toLowerCase()]?.toString() ?? "");
    if (defects.sleepBeforeRefusal && refusal && asked !== undefined && asked > 0 && asked <= status.limits.maxSleepMs) answer.delayMs = asked;
    if (defects.queryBeforePath && answer.code === 404 && /[?&](sleep|suppressbody)=/i.test(request.url ?? ""))
      [answer.code, answer.reason] = [400, reasonPhrases.get(400)!];
    if (defects.copiesOnRefusal && refusal) for (const [name, value] of copiedHeaders(request.rawHeaders)) answer.headers[name.toLowerCase()] = value;
  });
  let previous = Promise.resolve();
  const handle = (request: http.IncomingMessage, response: http.ServerResponse) => {
    const sleep = sleepOf(request);
    const whole = sleep !== null && parseInteger(sleep) !== undefined;
    const inBound = whole && parseInteger(sleep)! <= status.limits.maxSleepMs;
    const suffixed = /^\/random\//i.test(request.url ?? "") ? /^\/random\/[^/?]*\//i : /^\/[^/?]*\//;
    if (defects.pathSuffixRefused && suffixed.test(request.url ?? "")) request.url = "/not-a-code";
    if (defects.plusSignNotACode && request.url?.startsWith("/+")) request.url = "/not-a-code";
    if (defects.negativeSleepRefused && /^-/.test(sleep ?? "")) request.url = request.url!.replace(/sleep=-[^&]*/i, "sleep=refused");
    if (defects.sleepHeaderIgnored) delete request.headers[status.wireTexts.sleepHeader.toLowerCase()];
    if (defects.suppressBodyIgnored) {
      delete request.headers[status.wireTexts.suppressBodyHeader.toLowerCase()];
      request.url = filterQuery(request.url ?? "/", (name) => name !== "suppressbody");
    }
    if (defects.responseHeadersIgnored) request.rawHeaders = withoutCopies(request.rawHeaders);
    if (defects.repeatedParameterFirstWins)
      request.url = filterQuery(request.url ?? "/", (name, before) => before === 0 || (name !== "sleep" && name !== "suppressbody"));
    if (defects.integerWithSpaceRefused) request.url = spaceRefused(request.url ?? "/");
    const range = /^\/random\/([0-9]+)/.exec(request.url ?? "");
    if (defects.randomAlwaysFirst && range) request.url = `/${range[1]}`;
    if (defects.postRefused && request.method === "POST") request.method = "PROPFIND";
    if (defects.preflightAsGet && request.method === "OPTIONS") delete request.headers["access-control-request-method"];
    if (defects.sleepIgnored || (defects.noSleep && inBound) || (defects.unreadableSleepIsNone && sleep !== null && !whole)) withoutSleep(request);
    if (!defects.oneRequestAtATime) return rewritten(request, response);
    const answered = new Promise<void>((resolve) => response.once("close", resolve));
    previous = previous.then(() => {
      rewritten(request, response);
      return answered;
    });
  };
  server.on("request", (request: http.IncomingMessage, response: http.ServerResponse) =>
    defects.lateMs === undefined ? handle(request, response) : setTimeout(() => handle(request, response), defects.lateMs),
  );
  return server;
}

/** The broken status servers the kit must catch, each with the rules it fails. */
export const brokenStatusServers: Array<BrokenServer<StatusDefects, StatusRuleId>> = [
  // Only the checks of the status and of HEAD send Accept headers and look at the status (HEAD's compares it with GET's, equally 200).
  { name: "200 for a request with an Accept header", defects: { okWhenAccepting: true }, fails: ["STATUS-CODE"] },
  // Only STATUS-REASON looks at the reason phrase (STATUS-HEAD compares HEAD's with GET's, equally upper-cased).
  { name: "a reason phrase of its own (upper case)", defects: { upperCaseReason: true }, fails: ["STATUS-REASON"] },
  // Only STATUS-TEXT-BODY looks at the text body of an echoed code.
  { name: "a text body without the reason phrase", defects: { textBodyWithoutReason: true }, fails: ["STATUS-TEXT-BODY"] },
  // Only STATUS-JSON-BODY looks at the JSON body.
  { name: "the code as a string in the JSON body", defects: { jsonCodeAsString: true }, fails: ["STATUS-JSON-BODY"] },
  // Only STATUS-NO-BODY looks at the body of 205 (STATUS-HEAD compares Content-Types, set alike on GET and HEAD).
  { name: "a body on 205 Reset Content", defects: { bodyOn205: true }, fails: ["STATUS-NO-BODY"] },
  // Only STATUS-LOCATION looks for the Location header.
  { name: "no Location on redirects", defects: { noLocation: true }, fails: ["STATUS-LOCATION"] },
  // Only STATUS-PATH-SUFFIX asks for a path with more after the code.
  { name: "a path with more after the code refused", defects: { pathSuffixRefused: true }, fails: ["STATUS-PATH-SUFFIX"] },
  // Only STATUS-AUTH-CHALLENGE looks at the headers of 401 and 407.
  { name: "no challenge header on 401 and 407", defects: { noAuthChallenge: true }, fails: ["STATUS-AUTH-CHALLENGE"] },
  // Only STATUS-RETRY-AFTER looks at Retry-After.
  { name: "Retry-After on 429 only", defects: { retryAfterOn429Only: true }, fails: ["STATUS-RETRY-AFTER"] },
  // Only STATUS-HEAD sends HEAD.
  { name: "a Content-Type of its own on HEAD", defects: { headContentTypeOfItsOwn: true }, fails: ["STATUS-HEAD"] },
  // Only STATUS-UNKNOWN-CODE looks at an unknown code's reason phrase (HEAD's and /random's compare it with GET's, changed alike).
  { name: "`Unknown Code` without the code as the reason phrase", defects: { unknownReasonWithoutCode: true }, fails: ["STATUS-UNKNOWN-CODE"] },
  // Only STATUS-CODE-FORMAT writes a code with a +.
  { name: "a code led by + taken for no code", defects: { plusSignNotACode: true }, fails: ["STATUS-CODE-FORMAT"] },
  // Only STATUS-NOT-FOUND looks at the status of a path that names no code (STATUS-CORS asks for one, and looks at CORS headers only).
  { name: "400 for a path that names no code", defects: { nonCodeIs400: true }, fails: ["STATUS-NOT-FOUND"] },
  // Only STATUS-SLEEP sends negative sleeps.
  { name: "a negative sleep refused", defects: { negativeSleepRefused: true }, fails: ["STATUS-SLEEP"] },
  // Only STATUS-SLEEP-HEADER sends the sleep header.
  { name: "the sleep header ignored", defects: { sleepHeaderIgnored: true }, fails: ["STATUS-SLEEP-HEADER"] },
  // Only STATUS-SUPPRESS-BODY asks for no body.
  { name: "suppressBody ignored", defects: { suppressBodyIgnored: true }, fails: ["STATUS-SUPPRESS-BODY"] },
  // Only STATUS-RESPONSE-HEADERS asks for headers.
  { name: "no header copied into the answer", defects: { responseHeadersIgnored: true }, fails: ["STATUS-RESPONSE-HEADERS"] },
  // Only STATUS-RANDOM asks for /random; a draw always of the first code is one of the codes asked for, so only the spread shows it.
  { name: "/random always the range's first code", defects: { randomAlwaysFirst: true }, fails: ["STATUS-RANDOM"] },
  // Only STATUS-METHOD looks at the answer to POST (STATUS-CORS sends POST, and looks at CORS headers only).
  { name: "POST refused with 405", defects: { postRefused: true }, fails: ["STATUS-METHOD"] },
  // Only STATUS-CORS sends an Origin with a request that is not a preflight.
  { name: "no CORS headers", defects: { noCors: true }, fails: ["STATUS-CORS"] },
  // Only STATUS-CORS-PREFLIGHT sends a preflight.
  { name: "a preflight answered as GET", defects: { preflightAsGet: true }, fails: ["STATUS-CORS-PREFLIGHT"] },
  // Ignored, a sleep is neither waited for (STATUS-SLEEP) nor refused when bad (STATUS-SLEEP-BOUND).
  { name: "the sleep parameter ignored", defects: { sleepIgnored: true }, fails: ["STATUS-SLEEP", "STATUS-SLEEP-BOUND"] },
  // Only STATUS-SLEEP times the sleeping request itself (STATUS-SLEEP-CONCURRENT times the other one).
  { name: "no sleep", defects: { noSleep: true }, fails: ["STATUS-SLEEP"] },
  // Only STATUS-SLEEP-CONCURRENT sends a request while another is under way.
  { name: "one request at a time, a sleep holding up the others", defects: { oneRequestAtATime: true }, fails: ["STATUS-SLEEP-CONCURRENT"] },
  // Only STATUS-SLEEP-BOUND sends sleeps that are no whole number.
  { name: "an unreadable sleep taken as none", defects: { unreadableSleepIsNone: true }, fails: ["STATUS-SLEEP-BOUND"] },
  // Only STATUS-UNSUPPORTED-CODE looks at the status of an unsupported code other than to see it is not 200.
  { name: "404 for an unsupported code", defects: { unsupportedIs404: true }, fails: ["STATUS-UNSUPPORTED-CODE"] },
  // Only STATUS-SLEEP-BOUND and STATUS-SUPPRESS-BODY name a parameter twice (STATUS-REFUSAL names each once).
  {
    name: "the first of a parameter given twice taken",
    defects: { repeatedParameterFirstWins: true },
    fails: ["STATUS-SLEEP-BOUND", "STATUS-SUPPRESS-BODY"],
  },
  // Only STATUS-CODE-FORMAT and STATUS-SLEEP write integers with whitespace around them.
  { name: "an integer with whitespace around it refused", defects: { integerWithSpaceRefused: true }, fails: ["STATUS-CODE-FORMAT", "STATUS-SLEEP"] },
  // Only STATUS-NO-BODY looks at the Content-Type of 204, 205 and 304 (STATUS-HEAD and STATUS-METHOD compare two answers, changed alike).
  { name: "a Content-Type on 204, 205 and 304", defects: { contentTypeWithoutBody: true }, fails: ["STATUS-NO-BODY"] },
  // Only STATUS-REFUSAL asks for a long sleep with a refused request, a query with a path that names no code, or copies with a refusal.
  { name: "a refusal sent after the sleep it asks for", defects: { sleepBeforeRefusal: true }, fails: ["STATUS-REFUSAL"] },
  { name: "the query judged before a path that names no code", defects: { queryBeforePath: true }, fails: ["STATUS-REFUSAL"] },
  { name: "the asked-for headers copied into a refusal", defects: { copiesOnRefusal: true }, fails: ["STATUS-REFUSAL"] },
  // Only STATUS-CONNECTIONS-PER-ADDRESS holds more than two connections open at once.
  { name: "a pool of 8 connections, whoever holds them", defects: { connectionSlots: 8 }, fails: [], warns: ["STATUS-CONNECTIONS-PER-ADDRESS"] },
  // Only STATUS-UNKNOWN-METHOD sends methods the service does not answer.
  { name: "no Allow header on 405", defects: { noAllowHeader: true }, fails: [], warns: ["STATUS-UNKNOWN-METHOD"] },
  // Only STATUS-NOT-ALWAYS-OK asks for an echoed code after an unsupported one on the same server (STATUS-UNSUPPORTED-CODE asks for
  // unsupported codes only, the others for echoed ones only).
  { name: "200 left over after an unsupported code", defects: { okAfterUnsupported: true }, fails: ["STATUS-NOT-ALWAYS-OK"] },
  // Every check that looks at a status, a reason, a body or a header sees it; only those that compare two of its answers (HEAD's,
  // the concurrent sleep's, the path suffix's, the code format's and the methods') do not.
  {
    name: "200 for everything, like the site in the write-up",
    defects: { welcomePageForEverything: true },
    fails: [
      "STATUS-CODE",
      "STATUS-UNKNOWN-CODE",
      "STATUS-REASON",
      "STATUS-TEXT-BODY",
      "STATUS-JSON-BODY",
      "STATUS-NO-BODY",
      "STATUS-LOCATION",
      "STATUS-AUTH-CHALLENGE",
      "STATUS-RETRY-AFTER",
      "STATUS-SLEEP",
      "STATUS-SLEEP-BOUND",
      "STATUS-SLEEP-HEADER",
      "STATUS-SUPPRESS-BODY",
      "STATUS-RESPONSE-HEADERS",
      "STATUS-RANDOM",
      "STATUS-UNSUPPORTED-CODE",
      "STATUS-NOT-FOUND",
      "STATUS-CORS",
      "STATUS-CORS-PREFLIGHT",
      "STATUS-NOT-ALWAYS-OK",
    ],
    warns: ["STATUS-UNKNOWN-METHOD"],
  },
];
