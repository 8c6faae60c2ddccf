import path from "node:path";
import { fill, loadProtocol, protocolsDir, type ProtocolSpec, templatePattern } from "../../../kit/serve.js";
import { loadReasonPhrases } from "./reason-phrases.js";

export type StatusWireText =
  | "textBody"
  | "unknownDescription"
  | "textContentType"
  | "jsonContentType"
  | "badRequest"
  | "unsupportedCode"
  | "badSleep"
  | "badSuppressBody"
  | "badRange"
  | "notFound"
  | "unframedBody"
  | "methodNotAllowed"
  | "allowedMethods"
  | "redirectLocation"
  | "authenticateChallenge"
  | "retryAfter"
  | "sleepHeader"
  | "suppressBodyHeader"
  | "responseHeaderPrefix"
  | "uncopiedHeaders"
  | "corsAllowOrigin"
  | "corsExposeHeaders"
  | "index";
export type StatusLimit = "minCode" | "maxCode" | "maxSleepMs" | "maxRandomChoices" | "maxConnectionsPerAddress";
export type StatusSpec = ProtocolSpec<StatusWireText, StatusLimit>;

/** The status protocol document: the single source of its wire texts, limits and rules. */
export const status: StatusSpec = loadProtocol(
  path.join(protocolsDir, "status", "spec", "protocol.json"),
  [
    "textBody",
    "unknownDescription",
    "textContentType",
    "jsonContentType",
    "badRequest",
    "unsupportedCode",
    "badSleep",
    "badSuppressBody",
    "badRange",
    "notFound",
    "unframedBody",
    "methodNotAllowed",
    "allowedMethods",
    "redirectLocation",
    "authenticateChallenge",
    "retryAfter",
    "sleepHeader",
    "suppressBodyHeader",
    "responseHeaderPrefix",
    "uncopiedHeaders",
    "corsAllowOrigin",
    "corsExposeHeaders",
    "index",
  ] as const,
  ["minCode", "maxCode", "maxSleepMs", "maxRandomChoices", "maxConnectionsPerAddress"] as const,
);

/** Code to reason phrase (httpstat.us's description), for every code of the table the service answers (protocols/status/spec/reason-phrases.json). */
export const reasonPhrases: ReadonlyMap<number, string> = new Map(
  [...loadReasonPhrases()].filter(([code]) => code >= status.limits.minCode && code <= status.limits.maxCode),
);

/** The codes the table knows, in order. */
export const knownCodes: readonly number[] = [...reasonPhrases.keys()].sort((a, b) => a - b);

/** Whether the service echoes a code: every one from minCode to maxCode, known to the table or not. */
export const isAnswered = (code: number, spec: StatusSpec = status) => Number.isInteger(code) && code >= spec.limits.minCode && code <= spec.limits.maxCode;

/** The codes the service echoes, in order: known to the table or not (STATUS-UNKNOWN-CODE). */
export const answeredCodes: readonly number[] = Array.from({ length: status.limits.maxCode - status.limits.minCode + 1 }, (_, i) => status.limits.minCode + i);

/** A code's description: its reason phrase, or unknownDescription for a code the table does not know (STATUS-UNKNOWN-CODE). */
export function descriptionOf(code: number, spec: StatusSpec = status): string {
  return reasonPhrases.get(code) ?? fill(spec.wireTexts.unknownDescription, { code: String(code) });
}

/** The methods the service answers (allowedMethods), as sent on the wire: GET, HEAD, and those answered as GET. */
export const answeredMethods = (spec: StatusSpec = status): string[] => spec.wireTexts.allowedMethods.split(",").map((method) => method.trim());

/** Answers that HTTP forbids a body on (RFC 9110 sections 15.3.5, 15.3.6, 15.4.5). */
export const hasNoBody = (code: number) => code === 204 || code === 205 || code === 304;

/** The redirects that carry a Location, as httpstat.us's do: every 3xx but 300, 304 and 306. */
export const needsLocation = (code: number) => [301, 302, 303, 305, 307, 308].includes(code);

/** Answers that carry Retry-After (STATUS-RETRY-AFTER): httpstat.us's choice, 301 among them. */
export const carriesRetryAfter = (code: number) => code === 301 || code === 429 || code === 503;

/** The header that makes an authentication answer well formed (RFC 9110 sections 11.6.1, 11.7.1). */
export const challengeHeader = (code: number): string | undefined => (code === 401 ? "WWW-Authenticate" : code === 407 ? "Proxy-Authenticate" : undefined);

export function textBody(code: number, spec: StatusSpec = status): string {
  return fill(spec.wireTexts.textBody, { code: String(code), description: descriptionOf(code, spec) });
}

export function jsonBody(code: number, spec: StatusSpec = status): { code: number; description: string } {
  return { code, description: descriptionOf(code, spec) };
}

export function unsupportedCodeBody(requested: string, spec: StatusSpec = status): string {
  return fill(spec.wireTexts.badRequest, { problem: fill(spec.wireTexts.unsupportedCode, { requested }) });
}

/** A whole-text pattern for any bad-request body about an unsupported code, whatever code was asked for. */
export function unsupportedCodePattern(spec: StatusSpec = status): string {
  return templatePattern(fill(spec.wireTexts.badRequest, { problem: spec.wireTexts.unsupportedCode }), { requested: ".*" });
}

/** The bad-request body for a request whose body length cannot be known (RFC 9112 section 6.1). */
export function unframedBodyBody(spec: StatusSpec = status): string {
  return fill(spec.wireTexts.badRequest, { problem: spec.wireTexts.unframedBody });
}

export function badSleepBody(spec: StatusSpec = status): string {
  return fill(spec.wireTexts.badRequest, { problem: fill(spec.wireTexts.badSleep, { maxSleepMs: String(spec.limits.maxSleepMs) }) });
}

export function badSuppressBodyBody(spec: StatusSpec = status): string {
  return fill(spec.wireTexts.badRequest, { problem: spec.wireTexts.badSuppressBody });
}

export function badRangeBody(spec: StatusSpec = status): string {
  return fill(spec.wireTexts.badRequest, { problem: fill(spec.wireTexts.badRange, { maxRandomChoices: String(spec.limits.maxRandomChoices) }) });
}

export function notFoundBody(requested: string, spec: StatusSpec = status): string {
  return fill(spec.wireTexts.notFound, { requested });
}

/** A whole-text pattern for any not-found body, whatever path was asked for. */
export function notFoundPattern(spec: StatusSpec = status): string {
  return templatePattern(spec.wireTexts.notFound, { requested: ".*" });
}

/** The smallest and largest values of a 32-bit signed integer: what httpstat.us's parser reads (.NET's int). */
const INT32 = { min: -(2 ** 31), max: 2 ** 31 - 1 };

/** The whitespace .NET's integer parser allows around a number (NumberStyles.Integer): not Unicode's. */
const SPACE = "[\\t\\n\\v\\f\\r ]*";
const INTEGER = new RegExp(`^${SPACE}([+-]?[0-9]+)${SPACE}$`);
const RANGE_ITEM = new RegExp(`^${SPACE}([0-9]+)${SPACE}(?:-${SPACE}([0-9]+)${SPACE})?$`);

/**
 * An integer as httpstat.us reads one (.NET's int.TryParse): an optional sign and decimal digits, with
 * whitespace around them, within 32 bits; undefined for any other text. Reads a code (STATUS-CODE-FORMAT)
 * and a sleep (STATUS-SLEEP).
 */
export function parseInteger(text: string): number | undefined {
  const digits = INTEGER.exec(text)?.[1];
  if (digits === undefined) return undefined;
  const value = Number(digits);
  return value >= INT32.min && value <= INT32.max ? value : undefined;
}

const BOOLEAN = new RegExp(`^${SPACE}(true|false)${SPACE}$`, "i");

/**
 * A boolean as httpstat.us reads one (.NET's bool.TryParse): true or false in any case, with whitespace
 * around it as around an integer; undefined for any other text.
 */
export function parseBoolean(text: string): boolean | undefined {
  const word = BOOLEAN.exec(text)?.[1];
  return word === undefined ? undefined : word.toLowerCase() === "true";
}

/**
 * The codes a random range expands to, as [first, last] spans, and how many they are; undefined when the
 * range is not one (STATUS-RANDOM).
 */
export function parseRandomRange(range: string, spec: StatusSpec = status): { spans: Array<[number, number]>; size: number } | undefined {
  const spans: Array<[number, number]> = [];
  let count = 0;
  for (const item of range.split(",")) {
    const bounds = RANGE_ITEM.exec(item);
    if (!bounds) return undefined;
    const first = Number(bounds[1]);
    const last = Number(bounds[2] ?? bounds[1]);
    if (first > last || last > INT32.max) return undefined;
    count += last - first + 1;
    if (count > spec.limits.maxRandomChoices) return undefined;
    spans.push([first, last]);
  }
  return { spans, size: count };
}

/** The code at a position of a range's expanded list (0 to its length - 1). */
export function codeAt(spans: Array<[number, number]>, position: number): number {
  let rest = position;
  for (const [first, last] of spans) {
    if (rest <= last - first) return first + rest;
    rest -= last - first + 1;
  }
  throw new RangeError(`position ${position} is past the range's ${spans.length} spans`);
}

/** The lower-case names of the headers a request may not copy into its answer (STATUS-RESPONSE-HEADERS). */
export function uncopiedHeaders(spec: StatusSpec = status): Set<string> {
  return new Set(spec.wireTexts.uncopiedHeaders.split(",").map((name) => name.trim().toLowerCase()));
}

/** Whether a request header asks for a header in the answer (STATUS-RESPONSE-HEADERS): responseHeaderPrefix<Name>, the prefix in any case. */
export function asksForHeader(name: string, spec: StatusSpec = status): boolean {
  const prefix = spec.wireTexts.responseHeaderPrefix;
  return name.length > prefix.length && name.toLowerCase().startsWith(prefix.toLowerCase());
}

/** The headers a request asks to have copied into its answer (STATUS-RESPONSE-HEADERS), name to value, names as sent after the prefix. */
export function copiedHeaders(rawHeaders: readonly string[], spec: StatusSpec = status): Array<[string, string]> {
  const prefix = spec.wireTexts.responseHeaderPrefix;
  const refused = uncopiedHeaders(spec);
  const copied: Array<[string, string]> = [];
  for (let i = 0; i + 1 < rawHeaders.length; i += 2) {
    const name = rawHeaders[i]!;
    if (!asksForHeader(name, spec)) continue;
    const copiedName = name.slice(prefix.length);
    if (!refused.has(copiedName.toLowerCase())) copied.push([copiedName, rawHeaders[i + 1]!]);
  }
  return copied;
}

interface MediaRange {
  type: string;
  subtype: string;
  q: number;
}

function mediaRanges(accept: string): MediaRange[] {
  return accept.split(",").flatMap((part) => {
    const [range, ...params] = part.split(";").map((s) => s.trim());
    const [type, subtype] = (range ?? "").toLowerCase().split("/");
    if (!type || !subtype) return [];
    const qParam = params.find((p) => /^q\s*=/i.test(p));
    const q = qParam === undefined ? 1 : Number(qParam.split("=")[1]);
    return Number.isFinite(q) ? [{ type, subtype, q }] : [];
  });
}

/** The q an Accept header gives a media type: that of its most specific matching range, 0 when none matches. */
function qualityOf(ranges: MediaRange[], type: string, subtype: string): { q: number; named: boolean } {
  const rank = (r: MediaRange) =>
    r.type === type && r.subtype === subtype ? 3 : r.type === type && r.subtype === "*" ? 2 : r.type === "*" && r.subtype === "*" ? 1 : 0;
  const best = ranges.filter((r) => rank(r) > 0).sort((a, b) => rank(b) - rank(a))[0];
  return best ? { q: best.q, named: rank(best) >= 2 } : { q: 0, named: false };
}

/** Whether an answer is JSON (STATUS-JSON-BODY): application/json named with a q above 0, not below text/plain's. */
export function acceptsJson(accept: string | undefined): boolean {
  if (accept === undefined) return false;
  const ranges = mediaRanges(accept);
  const json = qualityOf(ranges, "application", "json");
  return json.named && json.q > 0 && json.q >= qualityOf(ranges, "text", "plain").q;
}
