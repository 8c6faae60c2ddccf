import fc from "fast-check";
import {
  acceptsJson,
  answeredMethods,
  carriesRetryAfter,
  challengeHeader,
  descriptionOf,
  jsonBody,
  needsLocation,
  reasonPhrases,
  status,
  textBody,
  uncopiedHeaders,
  unsupportedCodePattern,
} from "../spec/index.js";
import type { HttpAnswer } from "../../../transport/http-client.js";
import { everyRun, type RuleCheck } from "../../../conformance/check.js";
import {
  accept,
  answeredCode,
  badRandomRange,
  badSleep,
  badSleepQuery,
  booleanText,
  codeWithBody,
  customHeaderName,
  getLikeMethod,
  headerValue,
  integerSpace,
  knownCode,
  noBodyCode,
  anyCase,
  nonCodePath,
  notBoolean,
  origin,
  randomRange,
  redirectCode,
  refusalExtras,
  refusedRequest,
  responseHeaderPrefix,
  retryAfterCode,
  shortSleep,
  spacedBooleanText,
  unknownCode,
  unknownMethod,
  unreadableSleep,
  unsupportedPath,
} from "./arbitraries.js";
import { statusProperty, type StatusRun } from "./session.js";
import type { StatusRuleId } from "../spec/rule-ids.js";

const { wireTexts } = status;
/** Sleeping checks wait for real: a tenth of the runs. */
const someRuns = (budget: number) => Math.max(3, Math.ceil(budget / 10));
/** Timers fire on whole milliseconds, so a sleep measured by another clock may look up to 1 ms short. */
const TIMER_GRANULARITY_MS = 1;

const headers = (acceptHeader: string | undefined): Record<string, string> => (acceptHeader === undefined ? {} : { accept: acceptHeader });
const get = (code: number | string, acceptHeader?: string, query = "", extra: Record<string, string> = {}) => ({
  method: "GET",
  path: `/${code}${query}`,
  headers: { ...headers(acceptHeader), ...extra },
});
const CORS_ORIGIN = "access-control-allow-origin";
/** A header's value as the kit reads it, in words. */
const shown = (name: string, value: string | string[] | undefined) => (value === undefined ? `no ${name}` : `${name}: ${String(value)}`);
const acceptedAs = (acceptHeader: string | undefined) => (acceptHeader === undefined ? "no Accept header" : `Accept: ${acceptHeader}`);
const contentType = (answer: HttpAnswer) => answer.headers["content-type"];
/** Text as a query carries it: percent-encoded, a space as `+` (form data). */
const formEncoded = (text: string) => encodeURIComponent(text).replaceAll("%20", "+");

/** The rule's text body, or its JSON body, as the Accept header decides. */
function expectEchoBody(run: StatusRun, answer: HttpAnswer, code: number, acceptHeader: string | undefined): void {
  const why = `for ${code} with ${acceptedAs(acceptHeader)}`;
  if (acceptsJson(acceptHeader)) {
    run.expectEqual(`Content-Type ${why}`, contentType(answer), wireTexts.jsonContentType);
    let parsed: unknown;
    try {
      parsed = JSON.parse(answer.body.toString("utf8"));
    } catch {
      run.fail(`a JSON body ${why}`, run.describeBody(answer));
    }
    run.expectEqual(`the JSON body ${why}`, JSON.stringify(parsed), JSON.stringify(jsonBody(code)));
  } else {
    run.expectEqual(`Content-Type ${why}`, contentType(answer), wireTexts.textContentType);
    run.expectEqual(`the body ${why}`, answer.body.toString("utf8"), textBody(code));
  }
}

const unsupportedBody = new RegExp(unsupportedCodePattern(), "s");

/** Fails the run unless `answer` is GET /<code>'s answer `plain` again: status, reason phrase, the headers rules name, body. */
function expectSameAnswer(run: StatusRun, what: string, answer: HttpAnswer, plain: HttpAnswer): void {
  const as = ` as GET /${plain.status} was`;
  run.expectEqual(`the status of ${what}${as}`, answer.status, plain.status);
  run.expectEqual(`the reason phrase of ${what}${as}`, answer.reason, plain.reason);
  for (const name of ["content-type", "location", "retry-after", "www-authenticate", "proxy-authenticate"])
    run.expectEqual(`the ${name} of ${what}${as}`, answer.headers[name], plain.headers[name]);
  run.expectEqual(`the body of ${what}${as}`, answer.body.toString("utf8"), plain.body.toString("utf8"));
}

/** Fails the run unless `answer` came no sooner than `sleepMs`. */
function expectSlept(run: StatusRun, answer: HttpAnswer, sleepMs: number): void {
  if (answer.ms < sleepMs - TIMER_GRANULARITY_MS) run.fail(`the answer no sooner than ${sleepMs} ms`, `it came after ${answer.ms.toFixed(1)} ms`);
}

/** Fails the run unless the answer has no body and no Content-Type (STATUS-NO-BODY, STATUS-SUPPRESS-BODY). */
function expectNoBody(run: StatusRun, what: string, answer: HttpAnswer): void {
  if (answer.body.length > 0) run.fail(`no body for ${what}`, run.describeBody(answer));
  if (contentType(answer) !== undefined) run.fail(`no Content-Type for ${what}`, shown("Content-Type", contentType(answer)));
}

/** How long GET /<code> takes while another request for it sleeps `sleepMs`; waits for the sleeper too. */
async function answeredBesideSleep(run: StatusRun, code: number, sleepMs: number): Promise<number> {
  const sleeping = run.ask(get(code, undefined, `?sleep=${sleepMs}`), run.ctx.timeouts.replyMs + sleepMs);
  // Handled at once: when the other request fails first, the run ends with that failure, and this one's
  // failure, if any, must not be left unhandled.
  sleeping.catch(() => {});
  const other = await run.ask(get(code));
  await sleeping;
  return other.ms;
}

/** The status rules' checks, one per rule of protocols/status/spec/protocol.json. */
export const statusChecks: Array<RuleCheck<StatusRuleId>> = [
  {
    id: "STATUS-CODE",
    runs: everyRun,
    property: statusProperty(fc.tuple(answeredCode, accept), async (run, [code, acceptHeader]) => {
      run.expectEqual(`the status of GET /${code}`, (await run.ask(get(code, acceptHeader))).status, code);
    }),
  },
  {
    id: "STATUS-UNKNOWN-CODE",
    runs: everyRun,
    property: statusProperty(fc.tuple(unknownCode, accept), async (run, [code, acceptHeader]) => {
      run.expectEqual(`the reason phrase of ${code}`, (await run.ask(get(code, acceptHeader))).reason, descriptionOf(code));
    }),
  },
  {
    id: "STATUS-PATH-SUFFIX",
    runs: everyRun,
    // A range of one code draws that code: its answer is GET /<code>'s.
    property: statusProperty(fc.tuple(codeWithBody, fc.stringMatching(/^[a-z0-9/._-]{0,16}$/), fc.boolean()), async (run, [code, rest, drawn]) => {
      const path = `${drawn ? "/random" : ""}/${code}/${rest}`;
      expectSameAnswer(run, `GET ${path}`, await run.ask({ method: "GET", path }), await run.ask(get(code)));
    }),
  },
  {
    id: "STATUS-CODE-FORMAT",
    runs: everyRun,
    property: statusProperty(
      fc
        .record({ code: codeWithBody, plus: fc.boolean(), zeros: fc.nat(3), before: integerSpace, after: integerSpace })
        .filter(({ plus, zeros, before, after }) => plus || zeros > 0 || before !== "" || after !== ""),
      async (run, { code, plus, zeros, before, after }) => {
        const written = `${encodeURIComponent(before)}${plus ? "+" : ""}${"0".repeat(zeros)}${code}${encodeURIComponent(after)}`;
        expectSameAnswer(run, `GET /${written}`, await run.ask(get(written)), await run.ask(get(code)));
      },
    ),
  },
  {
    id: "STATUS-REASON",
    runs: everyRun,
    property: statusProperty(knownCode, async (run, code) => {
      run.expectEqual(`the reason phrase of ${code}`, (await run.ask(get(code))).reason, reasonPhrases.get(code)!);
    }),
  },
  {
    id: "STATUS-TEXT-BODY",
    runs: everyRun,
    property: statusProperty(
      fc.tuple(
        codeWithBody,
        accept.filter((a) => !acceptsJson(a)),
      ),
      async (run, [code, acceptHeader]) => {
        expectEchoBody(run, await run.ask(get(code, acceptHeader)), code, acceptHeader);
      },
    ),
  },
  {
    id: "STATUS-JSON-BODY",
    runs: everyRun,
    property: statusProperty(fc.tuple(codeWithBody, accept.filter(acceptsJson)), async (run, [code, acceptHeader]) => {
      expectEchoBody(run, await run.ask(get(code, acceptHeader)), code, acceptHeader);
    }),
  },
  {
    id: "STATUS-NO-BODY",
    runs: everyRun,
    property: statusProperty(fc.tuple(noBodyCode, accept), async (run, [code, acceptHeader]) => {
      const answer = await run.ask(get(code, acceptHeader));
      expectNoBody(run, `GET /${code}`, answer);
    }),
  },
  {
    id: "STATUS-LOCATION",
    runs: everyRun,
    // The redirects that carry one, and the others drawn from every code answered.
    property: statusProperty(fc.oneof(redirectCode, answeredCode), async (run, code) => {
      const { location } = (await run.ask(get(code))).headers;
      if (needsLocation(code) && !location) run.fail(`a Location header on ${code}`, "none");
      if (!needsLocation(code) && location !== undefined) run.fail(`no Location header on ${code}`, shown("Location", location));
    }),
  },
  {
    id: "STATUS-AUTH-CHALLENGE",
    runs: everyRun,
    property: statusProperty(fc.constantFrom(401, 407), async (run, code) => {
      const header = challengeHeader(code)!;
      const value = (await run.ask(get(code))).headers[header.toLowerCase()];
      if (value !== status.wireTexts.authenticateChallenge) run.fail(`${header}: ${status.wireTexts.authenticateChallenge} on ${code}`, shown(header, value));
    }),
  },
  {
    id: "STATUS-RETRY-AFTER",
    runs: everyRun,
    // The codes that carry it, and others drawn from every code answered.
    property: statusProperty(fc.oneof(retryAfterCode, answeredCode), async (run, code) => {
      const value = (await run.ask(get(code))).headers["retry-after"];
      const expected = carriesRetryAfter(code) ? status.wireTexts.retryAfter : undefined;
      if (value !== expected)
        run.fail(expected === undefined ? `no Retry-After on ${code}` : `Retry-After: ${expected} on ${code}`, shown("Retry-After", value));
    }),
  },
  {
    id: "STATUS-HEAD",
    runs: everyRun,
    property: statusProperty(fc.tuple(answeredCode, accept), async (run, [code, acceptHeader]) => {
      const got = await run.ask(get(code, acceptHeader));
      const head = await run.ask({ ...get(code, acceptHeader), method: "HEAD" });
      run.expectEqual(`HEAD /${code}'s status, as GET's`, head.status, got.status);
      run.expectEqual(`HEAD /${code}'s reason phrase, as GET's`, head.reason, got.reason);
      run.expectEqual(`HEAD /${code}'s Content-Type, as GET's`, contentType(head), contentType(got));
      if (head.body.length > 0) run.fail(`no body on HEAD /${code}`, `${head.body.length} bytes`);
    }),
  },
  {
    id: "STATUS-SLEEP",
    runs: someRuns,
    property: statusProperty(
      fc.tuple(
        answeredCode,
        fc.oneof({ arbitrary: shortSleep, weight: 3 }, { arbitrary: fc.integer({ min: -(2 ** 31), max: -1 }), weight: 1 }),
        anyCase("sleep"),
        integerSpace,
        integerSpace,
      ),
      async (run, [code, sleepMs, name, before, after]) => {
        const query = `?${name}=${formEncoded(before)}${sleepMs}${formEncoded(after)}`;
        const answer = await run.ask(get(code, undefined, query), run.ctx.timeouts.replyMs + Math.max(0, sleepMs));
        run.expectEqual(`the status of GET /${code}${query}`, answer.status, code);
        expectSlept(run, answer, sleepMs);
      },
    ),
  },
  {
    id: "STATUS-SLEEP-CONCURRENT",
    // A sleep that blocks the server blocks every request: a few runs show it.
    runs: (budget) => Math.max(3, Math.ceil(budget / 20)),
    // Each run waits out a sleep: such rules start first.
    waitsMs: () => 600,
    property: statusProperty(fc.tuple(answeredCode, fc.integer({ min: 300, max: 600 })), async (run, [code, sleepMs]) => {
      // A loaded machine may answer any request late, but a server that a sleep blocks is late whatever the
      // sleep: a late answer is asked again beside a sleep four times as long, twice, before it counts.
      for (let sleep = sleepMs, tries = 1; ; sleep = Math.min(sleep * 4, run.ctx.spec.limits.maxSleepMs), tries++) {
        const took = await answeredBesideSleep(run, code, sleep);
        if (took < sleep) return;
        if (tries === 3)
          run.fail(`GET /${code} answered while another request sleeps ${sleep} ms`, `it took ${took.toFixed(1)} ms (and as long beside shorter sleeps)`);
      }
    }),
  },
  {
    id: "STATUS-SLEEP-BOUND",
    runs: everyRun,
    property: statusProperty(fc.tuple(answeredCode, badSleepQuery), async (run, [code, query]) => {
      const answer = await run.ask(get(code, undefined, `?${query}`));
      run.expectEqual(`the status of GET /${code}?${query}`, answer.status, 400);
    }),
  },
  {
    id: "STATUS-SLEEP-HEADER",
    runs: someRuns,
    property: statusProperty(
      fc.tuple(
        answeredCode,
        fc.oneof(
          shortSleep.map((ms) => ({ header: String(ms), ms })),
          badSleep.filter((sleep) => /^[0-9]+$/.test(sleep)).map((header) => ({ header, refused: true as const })),
          unreadableSleep.map((header) => ({ header })),
          fc.tuple(shortSleep, badSleep).map(([ms, header]) => ({ header, query: ms, ms })),
        ),
      ),
      async (run, [code, { header, query, ms, refused }]: [number, { header: string; query?: number; ms?: number; refused?: true }]) => {
        const what = `GET /${code}${query === undefined ? "" : `?sleep=${query}`} with ${status.wireTexts.sleepHeader}: ${header}`;
        const answer = await run.ask(
          get(code, undefined, query === undefined ? "" : `?sleep=${query}`, { [status.wireTexts.sleepHeader]: header }),
          run.ctx.timeouts.replyMs + (ms ?? 0),
        );
        run.expectEqual(`the status of ${what}`, answer.status, refused ? 400 : code);
        if (ms !== undefined) expectSlept(run, answer, ms);
      },
    ),
  },
  {
    id: "STATUS-SUPPRESS-BODY",
    runs: everyRun,
    property: statusProperty(
      fc.tuple(
        codeWithBody,
        fc.oneof(
          spacedBooleanText(true).map((query) => ({ query, expect: "suppressed" as const })),
          booleanText(true).map((header) => ({ header, expect: "suppressed" as const })),
          spacedBooleanText(false).map((query) => ({ query, expect: "body" as const })),
          fc.tuple(booleanText(false), booleanText(true)).map(([query, header]) => ({ query, header, expect: "body" as const })),
          notBoolean.map((header) => ({ header, expect: "body" as const })),
          notBoolean.map((query) => ({ query, expect: "refused" as const })),
          // Given twice, even alike, it cannot be read.
          fc.tuple(fc.oneof(booleanText(true), booleanText(false)), fc.oneof(booleanText(true), booleanText(false))).map(([query, again]) => ({
            query,
            again,
            expect: "refused" as const,
          })),
          // An empty value counts as absent.
          fc.constant({ query: "", expect: "body" as const }),
        ),
        anyCase("suppressBody"),
      ),
      async (
        run,
        [code, { query, again, header, expect }, name]: [
          number,
          { query?: string; again?: string; header?: string; expect: "suppressed" | "body" | "refused" },
          string,
        ],
      ) => {
        const request = get(
          code,
          undefined,
          query === undefined ? "" : `?${name}=${formEncoded(query)}${again === undefined ? "" : `&${name}=${again}`}`,
          header === undefined ? {} : { [status.wireTexts.suppressBodyHeader]: header },
        );
        const what = `${request.path}${header === undefined ? "" : ` with ${status.wireTexts.suppressBodyHeader}: ${header}`}`;
        const answer = await run.ask(request);
        run.expectEqual(`the status of ${what}`, answer.status, expect === "refused" ? 400 : code);
        if (expect === "suppressed") expectNoBody(run, what, answer);
        if (expect === "body") expectSameAnswer(run, what, answer, await run.ask(get(code)));
      },
    ),
  },
  {
    id: "STATUS-RESPONSE-HEADERS",
    runs: everyRun,
    property: statusProperty(
      fc.record({
        code: fc.oneof(codeWithBody, redirectCode, retryAfterCode),
        copied: fc.uniqueArray(fc.tuple(customHeaderName, headerValue, responseHeaderPrefix), { maxLength: 3, selector: ([name]) => name.toLowerCase() }),
        replaced: fc.option(fc.tuple(fc.constantFrom("Location", "Retry-After"), headerValue), { nil: undefined }),
        framing: fc.option(fc.constantFrom<[string, string]>(["Content-Type", "application/octet-stream"], ["Content-Length", "1"]), { nil: undefined }),
      }),
      async (run, { code, copied, replaced, framing }) => {
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
    ),
  },
  {
    id: "STATUS-RANDOM",
    runs: everyRun,
    property: statusProperty(
      fc.tuple(
        fc.oneof(
          { arbitrary: randomRange.map((drawn) => ({ kind: "draw" as const, ...drawn })), weight: 4 },
          {
            arbitrary: fc
              .uniqueArray(codeWithBody, { minLength: 2, maxLength: 2 })
              .map((codes) => ({ kind: "spread" as const, range: codes.join(","), codes })),
            weight: 1,
          },
          { arbitrary: badRandomRange.map((range) => ({ kind: "refused" as const, range, codes: [] })), weight: 2 },
        ),
        fc.boolean(),
        fc.oneof({ arbitrary: fc.constant("random"), weight: 3 }, anyCase("random")),
      ),
      async (run, [{ kind, range, codes }, encoded, random]) => {
        // The range is read percent-decoded; whitespace can only be sent so.
        const path = `/${random}/${encoded || /\s/.test(range) ? encodeURIComponent(range) : range}`;
        if (kind === "refused") return run.expectEqual(`the status of GET ${path}`, (await run.ask({ method: "GET", path })).status, 400);
        // Each of two codes as likely as the other: that one of them never comes out in 40 draws has a chance of 2 in 2^40.
        const seen = new Set<number>();
        for (let draw = 0; draw < (kind === "spread" ? 40 : 1); draw++) {
          const answer = await run.ask({ method: "GET", path });
          if (!codes.includes(answer.status)) run.fail(`a status among ${[...new Set(codes)].join(", ")} for GET ${path}`, `${answer.status} ${answer.reason}`);
          expectSameAnswer(run, `GET ${path}`, answer, await run.ask(get(answer.status)));
          seen.add(answer.status);
        }
        if (kind === "spread" && seen.size < 2) run.fail(`both ${codes.join(" and ")} among 40 answers to GET ${path}`, `only ${[...seen].join(", ")}`);
      },
    ),
  },
  {
    id: "STATUS-UNSUPPORTED-CODE",
    runs: everyRun,
    property: statusProperty(unsupportedPath, async (run, requested) => {
      const answer = await run.ask({ method: "GET", path: `/${requested}` });
      run.expectEqual(`the status for /${requested}`, answer.status, 400);
      const body = answer.body.toString("utf8");
      if (!unsupportedBody.test(body)) run.fail(`the bad-request body naming the unsupported code for /${requested}`, run.describeBody(answer));
    }),
  },
  {
    id: "STATUS-NOT-FOUND",
    runs: everyRun,
    property: statusProperty(nonCodePath, async (run, requested) => {
      run.expectEqual(`the status for /${requested}`, (await run.ask({ method: "GET", path: `/${requested}` })).status, 404);
    }),
  },
  {
    id: "STATUS-REFUSAL",
    runs: everyRun,
    property: statusProperty(fc.tuple(refusedRequest, refusalExtras), async (run, [refused, extras]) => {
      const plain = await run.ask({ method: "GET", path: `${refused.path}${refused.query.length > 0 ? `?${refused.query.join("&")}` : ""}` });
      // A request this server does not refuse is for the rule that says it must (STATUS-NOT-FOUND, ...) to judge.
      if (plain.status !== 400 && plain.status !== 404) return;
      const { maxSleepMs } = run.ctx.spec.limits;
      // Each parameter once: one named twice is STATUS-SLEEP-BOUND's and STATUS-SUPPRESS-BODY's to judge.
      const params = [...refused.query];
      const named = (param: string) => param.split("=")[0]!.toLowerCase();
      for (const param of [extras.sleepQuery && `sleep=${maxSleepMs}`, extras.badQuery, extras.suppressBody && "suppressBody=true"])
        if (param && !params.some((given) => named(given) === named(param))) params.push(param);
      const headers: Record<string, string> = {
        ...(extras.sleepHeader ? { [status.wireTexts.sleepHeader]: String(maxSleepMs) } : {}),
        ...(extras.copied ? { [`${status.wireTexts.responseHeaderPrefix}${extras.copied[0]}`]: extras.copied[1] } : {}),
      };
      const path = `${refused.path}${params.length > 0 ? `?${params.join("&")}` : ""}`;
      const request = { method: "GET", path, headers };
      const what = `GET ${path}${Object.entries(headers)
        .map(([name, value]) => ` with ${name}: ${value}`)
        .join("")}`;
      const answer = await run.ask(request);
      run.expectEqual(`the status of ${what}, as without what it adds`, answer.status, plain.status);
      if (answer.ms >= maxSleepMs) run.fail(`${what} refused at once`, `it came after ${answer.ms.toFixed(1)} ms`);
      if (extras.copied && answer.headers[extras.copied[0].toLowerCase()] !== undefined)
        run.fail(`no ${extras.copied[0]} in the refusal of ${what}`, shown(extras.copied[0], answer.headers[extras.copied[0].toLowerCase()]));
    }),
  },
  {
    id: "STATUS-METHOD",
    runs: everyRun,
    property: statusProperty(
      fc.tuple(getLikeMethod, answeredCode, accept, fc.string({ maxLength: 40 })),
      async (run, [{ method, body }, code, acceptHeader, content]) => {
        const request = { ...get(code, acceptHeader), method, ...(body ? { body: content } : {}) };
        expectSameAnswer(
          run,
          `${method} /${code}${body ? ` with a ${Buffer.byteLength(content)}-byte body` : ""}`,
          await run.ask(request),
          await run.ask(get(code, acceptHeader)),
        );
      },
    ),
  },
  {
    id: "STATUS-CORS",
    runs: everyRun,
    property: statusProperty(
      fc.tuple(fc.oneof(answeredCode.map(String), nonCodePath), fc.constantFrom("GET", "HEAD", "POST"), fc.option(origin, { nil: undefined })),
      async (run, [path, method, from]) => {
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
    ),
  },
  {
    id: "STATUS-CORS-PREFLIGHT",
    runs: everyRun,
    property: statusProperty(
      fc.tuple(
        answeredCode,
        origin,
        fc.constantFrom("GET", "PUT", "POST", "DELETE", "PATCH"),
        fc.option(fc.constantFrom("x-requested-with", "content-type,x-httpstatus-sleep"), { nil: undefined }),
      ),
      async (run, [code, from, method, asked]) => {
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
    ),
  },
  {
    id: "STATUS-UNKNOWN-METHOD",
    runs: everyRun,
    property: statusProperty(fc.tuple(unknownMethod, answeredCode), async (run, [method, code]) => {
      const answer = await run.ask({ method, path: `/${code}` });
      run.expectEqual(`the status of ${method} /${code}`, answer.status, 405);
      const allowed = (answer.headers.allow ?? "")
        .split(",")
        .map((m) => m.trim())
        .sort()
        .join(", ");
      run.expectEqual(`the Allow header of ${method} /${code}`, allowed, answeredMethods().sort().join(", "));
    }),
  },
  {
    id: "STATUS-NOT-ALWAYS-OK",
    runs: everyRun,
    property: statusProperty(fc.oneof(answeredCode.filter((code) => code !== 200).map(String), unsupportedPath), async (run, requested) => {
      const answer = await run.ask({ method: "GET", path: `/${requested}` });
      if (answer.status === 200) run.fail(`another status than 200 for /${requested}`, `200 ${answer.reason}`);
    }),
  },
];
