import { loadProtocol, type ProtocolSpec } from "../protocol.js";
import { fill, templatePattern } from "../wire-text.js";
import { loadReasonPhrases } from "./reason-phrases.js";

export type StatusWireText =
  | "textBody"
  | "textContentType"
  | "jsonContentType"
  | "badRequest"
  | "unsupportedCode"
  | "badSleep"
  | "unframedBody"
  | "methodNotAllowed"
  | "allowedMethods"
  | "redirectLocation"
  | "authenticateChallenge"
  | "retryAfter"
  | "index";
export type StatusLimit = "minCode" | "maxCode" | "maxSleepMs";
export type StatusSpec = ProtocolSpec<StatusWireText, StatusLimit>;

/** The status protocol document: the single source of its wire texts, limits and rules. */
export const status: StatusSpec = loadProtocol(
  "status",
  [
    "textBody",
    "textContentType",
    "jsonContentType",
    "badRequest",
    "unsupportedCode",
    "badSleep",
    "unframedBody",
    "methodNotAllowed",
    "allowedMethods",
    "redirectLocation",
    "authenticateChallenge",
    "retryAfter",
    "index",
  ] as const,
  ["minCode", "maxCode", "maxSleepMs"] as const,
);

/** Code to reason phrase (httpstat.us's description), for every code the service answers (spec/status/reason-phrases.json). */
export const reasonPhrases: ReadonlyMap<number, string> = new Map(
  [...loadReasonPhrases()].filter(([code]) => code >= status.limits.minCode && code <= status.limits.maxCode),
);

/** The codes the service echoes, in order. */
export const answeredCodes: readonly number[] = [...reasonPhrases.keys()].sort((a, b) => a - b);

/** Answers that HTTP forbids a body on (RFC 9110 sections 15.3.5, 15.3.6, 15.4.5). */
export const hasNoBody = (code: number) => code === 204 || code === 205 || code === 304;

/** The redirects that carry a Location, as httpstat.us's do: every 3xx but 300, 304 and 306. */
export const needsLocation = (code: number) => [301, 302, 303, 305, 307, 308].includes(code);

/** Answers that carry Retry-After (STATUS-RETRY-AFTER): httpstat.us's choice, 301 among them. */
export const carriesRetryAfter = (code: number) => code === 301 || code === 429 || code === 503;

/** The header that makes an authentication answer well formed (RFC 9110 sections 11.6.1, 11.7.1). */
export const challengeHeader = (code: number): string | undefined => (code === 401 ? "WWW-Authenticate" : code === 407 ? "Proxy-Authenticate" : undefined);

export function textBody(code: number, spec: StatusSpec = status): string {
  return fill(spec.wireTexts.textBody, { code: String(code), description: reasonPhrases.get(code) ?? "" });
}

export function jsonBody(code: number): { code: number; description: string } {
  return { code, description: reasonPhrases.get(code) ?? "" };
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
