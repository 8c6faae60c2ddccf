import { fc, type RuleCheck } from "../../../kit/index.js";
import { carriesRetryAfter, challengeHeader, needsLocation, status, uncopiedHeaders } from "../spec/index.js";
import type { StatusRuleId } from "../spec/rule-ids.js";
import {
  answeredCode,
  codeWithBody,
  customHeaderName,
  headerValue,
  nonCodePath,
  origin,
  redirectCode,
  responseHeaderPrefix,
  retryAfterCode,
} from "./arbitraries.js";
import { check } from "./session.js";
import { contentType, get, shown } from "./shared.js";

const CORS_ORIGIN = "access-control-allow-origin";

/** The headers a code needs, those asked to be copied, and CORS. */
export const headerChecks: Array<RuleCheck<StatusRuleId>> = [
  check({
    id: "STATUS-LOCATION",
    // The redirects that carry one, and the others drawn from every code answered.
    servers: "shared",
    inputs: fc.oneof(redirectCode, answeredCode),
    run: async (run, code) => {
      const { location } = (await run.ask(get(code))).headers;
      if (needsLocation(code) && !location) run.fail(`a Location header on ${code}`, "none");
      if (!needsLocation(code) && location !== undefined) run.fail(`no Location header on ${code}`, shown("Location", location));
    },
  }),
  check({
    id: "STATUS-AUTH-CHALLENGE",
    servers: "shared",
    inputs: fc.constantFrom(401, 407),
    run: async (run, code) => {
      const header = challengeHeader(code)!;
      const value = (await run.ask(get(code))).headers[header.toLowerCase()];
      if (value !== status.wireTexts.authenticateChallenge) run.fail(`${header}: ${status.wireTexts.authenticateChallenge} on ${code}`, shown(header, value));
    },
  }),
  check({
    id: "STATUS-RETRY-AFTER",
    // The codes that carry it, and others drawn from every code answered.
    servers: "shared",
    inputs: fc.oneof(retryAfterCode, answeredCode),
    run: async (run, code) => {
      const value = (await run.ask(get(code))).headers["retry-after"];
      const expected = carriesRetryAfter(code) ? status.wireTexts.retryAfter : undefined;
      if (value !== expected)
        run.fail(expected === undefined ? `no Retry-After on ${code}` : `Retry-After: ${expected} on ${code}`, shown("Retry-After", value));
    },
  }),
  check({
    id: "STATUS-RESPONSE-HEADERS",
    servers: "shared",
    inputs: fc.record({
      code: fc.oneof(codeWithBody, redirectCode, retryAfterCode),
      copied: fc.uniqueArray(fc.tuple(customHeaderName, headerValue, responseHeaderPrefix), { maxLength: 3, selector: ([name]) => name.toLowerCase() }),
      replaced: fc.option(fc.tuple(fc.constantFrom("Location", "Retry-After"), headerValue), { nil: undefined }),
      framing: fc.option(fc.constantFrom<[string, string]>(["Content-Type", "application/octet-stream"], ["Content-Length", "1"]), { nil: undefined }),
    }),
    run: async (run, { code, copied, replaced, framing }) => {
      const prefix = status.wireTexts.responseHeaderPrefix;
      const asked = [...copied, ...[replaced, framing].filter((header) => header !== undefined).map(([name, value]) => [name, value, prefix])];
      const answer = await run.ask(get(code, undefined, "", Object.fromEntries(asked.map(([name, value, as]) => [`${as}${name}`, value]))));
      const what = `GET /${code} asking for ${asked.map(([name, value]) => `${name}: ${value}`).join(", ") || "no header"}`;
      for (const [name, value] of [...copied, ...(replaced ? [replaced] : [])]) {
        const got = answer.headers[name.toLowerCase()];
        if (got !== value) run.fail(`${name}: ${value} in the answer to ${what}`, shown(name, got));
      }
      // An uncopied header shows in the Content-Type, or in a body cut or a connection broken by a Content-Length that lies.
      if (framing && uncopiedHeaders().has(framing[0].toLowerCase())) {
        const plain = await run.ask(get(code));
        run.expectEqual(`the Content-Type of ${what}, as GET /${code}'s`, contentType(answer), contentType(plain));
        run.expectEqual(`the body of ${what}, as GET /${code}'s`, answer.body.toString("utf8"), plain.body.toString("utf8"));
      }
    },
  }),
  check({
    id: "STATUS-CORS",
    servers: "shared",
    inputs: fc.tuple(fc.oneof(answeredCode.map(String), nonCodePath), fc.constantFrom("GET", "HEAD", "POST"), fc.option(origin, { nil: undefined })),
    run: async (run, [path, method, from]) => {
      const answer = await run.ask({ method, path: `/${path}`, headers: from === undefined ? {} : { origin: from } });
      const what = `${method} /${path} ${from === undefined ? "without an Origin" : `from ${from}`}`;
      const expected = from === undefined ? [undefined, undefined] : [status.wireTexts.corsAllowOrigin, status.wireTexts.corsExposeHeaders];
      for (const [name, value] of [
        ["Access-Control-Allow-Origin", expected[0]],
        ["Access-Control-Expose-Headers", expected[1]],
      ] as const) {
        const got = answer.headers[name.toLowerCase()];
        if (got !== value) run.fail(`${value === undefined ? `no ${name}` : `${name}: ${value}`} for ${what}`, shown(name, got));
      }
    },
  }),
  check({
    id: "STATUS-CORS-PREFLIGHT",
    servers: "shared",
    inputs: fc.tuple(
      answeredCode,
      origin,
      fc.constantFrom("GET", "PUT", "POST", "DELETE", "PATCH"),
      fc.option(fc.constantFrom("x-requested-with", "content-type,x-httpstatus-sleep"), { nil: undefined }),
    ),
    run: async (run, [code, from, method, asked]) => {
      const answer = await run.ask({
        method: "OPTIONS",
        path: `/${code}`,
        headers: { origin: from, "access-control-request-method": method, ...(asked === undefined ? {} : { "access-control-request-headers": asked }) },
      });
      const what = `the preflight of ${method} /${code} from ${from}${asked === undefined ? "" : ` asking for ${asked}`}`;
      run.expectEqual(`the status of ${what}`, answer.status, 204);
      if (answer.body.length > 0) run.fail(`no body for ${what}`, run.describeBody(answer));
      run.expectEqual(`the Access-Control-Allow-Origin of ${what}`, answer.headers[CORS_ORIGIN], status.wireTexts.corsAllowOrigin);
      run.expectEqual(`the Access-Control-Allow-Methods of ${what}`, answer.headers["access-control-allow-methods"], method);
      if (asked !== undefined) run.expectEqual(`the Access-Control-Allow-Headers of ${what}`, answer.headers["access-control-allow-headers"], asked);
    },
  }),
];
