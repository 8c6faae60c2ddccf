import fc from "fast-check";
import { answeredCodes, carriesRetryAfter, hasNoBody, needsLocation, status } from "../../spec/status/index.js";

/** A code the service echoes. */
export const answeredCode = fc.constantFrom(...answeredCodes);

/** Codes whose answers have a body to check. */
export const codeWithBody = fc.constantFrom(...answeredCodes.filter((code) => !hasNoBody(code)));

export const redirectCode = fc.constantFrom(...answeredCodes.filter(needsLocation));

export const noBodyCode = fc.constantFrom(...answeredCodes.filter(hasNoBody));

export const retryAfterCode = fc.constantFrom(...answeredCodes.filter(carriesRetryAfter));

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

/** A code outside the service's table: 1xx, codes with no reason phrase, out of range, or not a number. */
export const unsupportedPath = fc.oneof(
  fc.integer({ min: 100, max: 199 }).map(String),
  fc
    .integer({ min: 0, max: 999 })
    .filter((code) => !answeredCodes.includes(code))
    .map((code) => String(code).padStart(3, "0")),
  fc.stringMatching(/^[a-z][a-z0-9]{0,11}$/),
  fc.integer({ min: 1000, max: 99999 }).map(String),
);

/** A sleep parameter the service must refuse: above the bound, negative, fractional or not a number. */
export const badSleep = fc.oneof(
  fc.integer({ min: status.limits.maxSleepMs + 1, max: status.limits.maxSleepMs * 100 }).map(String),
  fc.integer({ min: -1000, max: -1 }).map(String),
  fc.tuple(fc.nat(1000), fc.integer({ min: 1, max: 9 })).map(([whole, tenth]) => `${whole}.${tenth}`),
  fc.stringMatching(/^[a-z]{1,8}$/),
  fc.constant(""),
);

export const otherMethod = fc.constantFrom("POST", "PUT", "DELETE", "PATCH", "OPTIONS");
