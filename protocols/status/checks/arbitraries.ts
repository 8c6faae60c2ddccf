import { fc } from "../../../kit/index.js";
import { answeredCodes, carriesRetryAfter, hasNoBody, knownCodes, needsLocation, status } from "../spec/index.js";

const { limits } = status;

/** A code the table knows. */
export const knownCode = fc.constantFrom(...knownCodes);

/** A code the service echoes although the table does not know it (STATUS-UNKNOWN-CODE). */
export const unknownCode = fc.constantFrom(...answeredCodes.filter((code) => !knownCodes.includes(code)));

/** A code the service echoes: known and unknown ones alike often. */
export const answeredCode = fc.oneof(knownCode, unknownCode);

/** Codes whose answers have a body to check. */
export const codeWithBody = answeredCode.filter((code) => !hasNoBody(code));

export const redirectCode = fc.constantFrom(...knownCodes.filter(needsLocation));

export const noBodyCode = fc.constantFrom(...knownCodes.filter(hasNoBody));

export const retryAfterCode = fc.constantFrom(...knownCodes.filter(carriesRetryAfter));

/** One media range of an Accept header, in any case, with or without a q and a parameter. */
const mediaRange = fc
  .tuple(
    fc.constantFrom("application/json", "Application/JSON", "application/*", "*/*", "text/plain", "text/*", "text/html", "application/xml", "image/png"),
    fc.option(fc.constantFrom("charset=utf-8", "version=2"), { nil: undefined }),
    fc.option(fc.constantFrom("0", "0.1", "0.5", "0.9", "1", "1.0"), { nil: undefined }),
  )
  .map(([range, param, q]) => [range, param, q !== undefined ? `q=${q}` : undefined].filter(Boolean).join(";"));

/**
 * An Accept header (or none). It names each media range once: which q a range named twice has is not the
 * spec's to say (nor RFC 9110's), so the checks do not ask.
 */
export const accept = fc.option(
  fc.uniqueArray(mediaRange, { minLength: 1, maxLength: 4, selector: (range) => range.split(";")[0]!.toLowerCase() }).map((ranges) => ranges.join(", ")),
  { nil: undefined },
);

/** A code path the service refuses (STATUS-UNSUPPORTED-CODE): 1xx, below 100 (zero-padded or negative), above maxCode. */
export const unsupportedPath = fc.oneof(
  fc.integer({ min: 100, max: limits.minCode - 1 }).map(String),
  fc.integer({ min: 0, max: 99 }).map((code) => String(code).padStart(3, "0")),
  fc.integer({ min: -999, max: -1 }).map(String),
  fc.integer({ min: limits.maxCode + 1, max: 99999 }).map(String),
);

/** A first path segment that is not an integer, so names no code (STATUS-NOT-FOUND). */
export const nonCodePath = fc.oneof(
  fc.stringMatching(/^[a-z][a-z0-9]{0,11}$/).filter((word) => word !== "random"),
  fc.stringMatching(/^[0-9]{1,3}[a-z.][a-z0-9]{0,3}$/),
  // Past 32 bits: not an integer as the service reads one.
  fc.bigInt({ min: 2n ** 31n, max: 10n ** 15n }).map(String),
  // /random with no range.
  fc.constantFrom("random", "random/", "random//200"),
);

/** A sleep the service must refuse: above the bound, fractional or not a number. */
export const badSleep = fc.oneof(
  fc.integer({ min: limits.maxSleepMs + 1, max: limits.maxSleepMs * 100 }).map(String),
  fc.tuple(fc.nat(1000), fc.integer({ min: 1, max: 9 })).map(([whole, tenth]) => `${whole}.${tenth}`),
  fc.stringMatching(/^[a-z]{1,8}$/),
);

/** A short sleep's text, or an empty one: given twice, a parameter cannot be read whatever its values. */
const sleepOrEmpty = fc.oneof(fc.nat(150).map(String), fc.constant(""));

/** A query that asks for a sleep the service must refuse: one it cannot read, or the sleep parameter given twice (named in any case). */
export const badSleepQuery = fc.oneof(
  { arbitrary: badSleep.map((sleep) => `sleep=${encodeURIComponent(sleep)}`), weight: 3 },
  {
    arbitrary: fc
      .tuple(fc.mixedCase(fc.constant("sleep")), fc.mixedCase(fc.constant("sleep")), sleepOrEmpty, sleepOrEmpty)
      .map(([first, second, a, b]) => `${first}=${a}&${second}=${b}`),
    weight: 1,
  },
);

/** Whitespace that may surround an integer (STATUS-CODE-FORMAT): mostly none. */
export const integerSpace = fc.oneof(
  { arbitrary: fc.constant(""), weight: 2 },
  { arbitrary: fc.array(fc.constantFrom(" ", "\t", "\n", "\v", "\f", "\r"), { minLength: 1, maxLength: 2 }).map((chars) => chars.join("")), weight: 1 },
);

/** A sleep that is not an integer: what the service ignores in a header. */
export const unreadableSleep = fc.oneof(
  fc.tuple(fc.nat(1000), fc.integer({ min: 1, max: 9 })).map(([whole, tenth]) => `${whole}.${tenth}`),
  fc.stringMatching(/^[a-z]{1,8}$/),
);

/** A short sleep, to wait out for real: long enough, mostly, that an answer that does not wait comes sooner. */
export const shortSleep = fc.oneof({ arbitrary: fc.integer({ min: 20, max: 150 }), weight: 4 }, { arbitrary: fc.integer({ min: 0, max: 19 }), weight: 1 });

/** A query parameter's name, or the word random of a path, in any case, as the service reads them. */
export const anyCase = (name: string) => fc.mixedCase(fc.constant(name));

/** A boolean in any case, as the service reads one. */
export const booleanText = (value: boolean) => fc.mixedCase(fc.constant(String(value)));

/** A boolean in any case with whitespace around it, as the service reads one in a query. */
export const spacedBooleanText = (value: boolean) => fc.tuple(integerSpace, booleanText(value), integerSpace).map((parts) => parts.join(""));

/** A value that is not a boolean. */
export const notBoolean = fc.constantFrom("yes", "no", "1", "0", "on", "truth", "t");

/** The methods answered as GET (STATUS-METHOD); those that may carry a body say so. */
export const getLikeMethod = fc.constantFrom(
  { method: "POST", body: true },
  { method: "PUT", body: true },
  { method: "PATCH", body: true },
  { method: "DELETE", body: false },
  { method: "TRACE", body: false },
  { method: "OPTIONS", body: false },
);

/** Methods Node's parser takes that the service does not answer (STATUS-UNKNOWN-METHOD). */
export const unknownMethod = fc.constantFrom("PROPFIND", "PROPPATCH", "MKCOL", "COPY", "MOVE", "LOCK", "UNLOCK", "REPORT", "PURGE");

/** A header name of the client's own (X- so that it meets no header the service sends). */
export const customHeaderName = fc.stringMatching(/^[A-Z][a-z]{1,8}(-[A-Z][a-z]{1,8})?$/).map((name) => `X-${name}`);

/** A header value: visible ASCII and inner spaces. */
export const headerValue = fc.stringMatching(/^[!-~]([ -~]{0,20}[!-~])?$/);

/** The response-header prefix in any case (STATUS-RESPONSE-HEADERS). */
export const responseHeaderPrefix = fc.mixedCase(fc.constant(status.wireTexts.responseHeaderPrefix));

/** An item of a random range: one code or a span of a few codes the service answers. */
const rangeItem = fc.oneof(
  answeredCode.map((code) => ({ text: String(code), codes: [code] })),
  fc.tuple(fc.integer({ min: limits.minCode, max: limits.maxCode - 5 }), fc.nat(5)).map(([first, extra]) => ({
    text: `${first}-${first + extra}`,
    codes: Array.from({ length: extra + 1 }, (_, i) => first + i),
  })),
);

/** A random range of codes the service answers, with the codes it expands to; its items may have whitespace around them. */
export const randomRange = fc
  .array(
    fc.tuple(integerSpace, rangeItem, integerSpace).map(([before, item, after]) => ({ ...item, text: before + item.text + after })),
    { minLength: 1, maxLength: 3 },
  )
  .map((items) => ({
    range: items.map((item) => item.text).join(","),
    codes: items.flatMap((item) => item.codes),
  }));

/** A random range the service must refuse: not a list of codes and spans, a span backwards, or too many codes. */
export const badRandomRange = fc.oneof(
  fc.stringMatching(/^[a-z]{1,8}$/),
  fc.tuple(fc.integer({ min: 201, max: 599 }), fc.integer({ min: 1, max: 100 })).map(([last, gap]) => `${last}-${last - gap}`),
  fc.integer({ min: 200, max: 599 }).map((code) => `${code}-`),
  fc.integer({ min: 200, max: 599 }).map((code) => `${code},,${code}`),
  fc.nat(100).map((first) => `${first}-${first + limits.maxRandomChoices}`),
);

/** A browser origin. */
export const origin = fc.stringMatching(/^[a-z]{1,10}$/).map((host) => `http://${host}.example`);

/** A request the service refuses (STATUS-REFUSAL): for its path (400 or 404), or for a query it cannot read (400). */
export const refusedRequest = fc.oneof(
  unsupportedPath.map((code) => ({ path: `/${code}`, query: [] as string[] })),
  nonCodePath.map((segment) => ({ path: `/${segment}`, query: [] as string[] })),
  badRandomRange.map((range) => ({ path: `/random/${range}`, query: [] as string[] })),
  fc.tuple(answeredCode, badSleep).map(([code, sleep]) => ({ path: `/${code}`, query: [`sleep=${encodeURIComponent(sleep)}`] })),
  fc.tuple(answeredCode, notBoolean).map(([code, value]) => ({ path: `/${code}`, query: [`suppressBody=${value}`] })),
);

/** What a refused request may add that must not change its refusal (STATUS-REFUSAL): at least one thing. */
export const refusalExtras = fc
  .record({
    sleepQuery: fc.boolean(),
    sleepHeader: fc.boolean(),
    badQuery: fc.option(fc.constantFrom("sleep=never", "suppressBody=maybe"), { nil: undefined }),
    suppressBody: fc.boolean(),
    copied: fc.option(fc.tuple(customHeaderName, headerValue), { nil: undefined }),
  })
  .filter((extras) => Object.values(extras).some((extra) => extra !== undefined && extra !== false));
