import fc from "fast-check";
import {
  acceptsJson,
  badSleepBody,
  carriesRetryAfter,
  challengeHeader,
  jsonBody,
  reasonPhrases,
  status,
  textBody,
  unsupportedCodePattern,
} from "../../spec/status/index.js";
import type { HttpAnswer } from "../../transport/http-client.js";
import { everyRun, type RuleCheck } from "../check.js";
import { accept, answeredCode, badSleep, codeWithBody, noBodyCode, otherMethod, redirectCode, retryAfterCode, unsupportedPath } from "./arbitraries.js";
import { statusProperty, type StatusRun } from "./session.js";

const { wireTexts } = status;
/** Sleeping checks wait for real: a tenth of the runs. */
const someRuns = (budget: number) => Math.max(3, Math.ceil(budget / 10));
/** Timers fire on whole milliseconds, so a sleep measured by another clock may look up to 1 ms short. */
const TIMER_GRANULARITY_MS = 1;

const headers = (acceptHeader: string | undefined): Record<string, string> => (acceptHeader === undefined ? {} : { accept: acceptHeader });
const get = (code: number, acceptHeader?: string, query = "") => ({ method: "GET", path: `/${code}${query}`, headers: headers(acceptHeader) });
const acceptedAs = (acceptHeader: string | undefined) => (acceptHeader === undefined ? "no Accept header" : `Accept: ${acceptHeader}`);
const contentType = (answer: HttpAnswer) => answer.headers["content-type"];

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

/** The status rules' checks, one per rule of spec/status/protocol.json. */
export const statusChecks: RuleCheck[] = [
  {
    id: "STATUS-CODE",
    runs: everyRun,
    property: statusProperty(fc.tuple(answeredCode, accept), async (run, [code, acceptHeader]) => {
      run.expectEqual(`the status of GET /${code}`, (await run.ask(get(code, acceptHeader))).status, code);
    }),
  },
  {
    id: "STATUS-PATH-SUFFIX",
    runs: everyRun,
    property: statusProperty(fc.tuple(codeWithBody, fc.stringMatching(/^[a-z0-9/._-]{0,16}$/)), async (run, [code, rest]) => {
      const plain = await run.ask(get(code));
      const longer = await run.ask({ method: "GET", path: `/${code}/${rest}` });
      const as = ` as GET /${code} was`;
      run.expectEqual(`the status of GET /${code}/${rest}${as}`, longer.status, plain.status);
      run.expectEqual(`the reason phrase of GET /${code}/${rest}${as}`, longer.reason, plain.reason);
      run.expectEqual(`the body of GET /${code}/${rest}${as}`, longer.body.toString("utf8"), plain.body.toString("utf8"));
    }),
  },
  {
    id: "STATUS-REASON",
    runs: everyRun,
    property: statusProperty(answeredCode, async (run, code) => {
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
      if (answer.body.length > 0) run.fail(`no body on ${code}`, run.describeBody(answer));
    }),
  },
  {
    id: "STATUS-LOCATION",
    runs: everyRun,
    property: statusProperty(redirectCode, async (run, code) => {
      const { location } = (await run.ask(get(code))).headers;
      if (!location) run.fail(`a Location header on ${code}`, "none");
    }),
  },
  {
    id: "STATUS-AUTH-CHALLENGE",
    runs: everyRun,
    property: statusProperty(fc.constantFrom(401, 407), async (run, code) => {
      const header = challengeHeader(code)!;
      const value = (await run.ask(get(code))).headers[header.toLowerCase()];
      if (value !== status.wireTexts.authenticateChallenge)
        run.fail(`${header}: ${status.wireTexts.authenticateChallenge} on ${code}`, value === undefined ? "none" : `${header}: ${String(value)}`);
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
        run.fail(
          expected === undefined ? `no Retry-After on ${code}` : `Retry-After: ${expected} on ${code}`,
          value === undefined ? "none" : `Retry-After: ${String(value)}`,
        );
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
    property: statusProperty(fc.tuple(answeredCode, fc.integer({ min: 0, max: 150 })), async (run, [code, sleepMs]) => {
      const answer = await run.ask(get(code, undefined, `?sleep=${sleepMs}`), run.ctx.timeouts.replyMs + sleepMs);
      run.expectEqual(`the status of GET /${code}?sleep=${sleepMs}`, answer.status, code);
      if (answer.ms < sleepMs - TIMER_GRANULARITY_MS) run.fail(`the answer no sooner than ${sleepMs} ms`, `it came after ${answer.ms.toFixed(1)} ms`);
    }),
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
    property: statusProperty(fc.tuple(answeredCode, badSleep), async (run, [code, sleep]) => {
      const answer = await run.ask(get(code, undefined, `?sleep=${encodeURIComponent(sleep)}`));
      run.expectEqual(`the status for sleep=${sleep}`, answer.status, 400);
      run.expectEqual(`the body for sleep=${sleep}`, answer.body.toString("utf8"), badSleepBody());
    }),
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
    id: "STATUS-METHOD",
    runs: everyRun,
    property: statusProperty(fc.tuple(otherMethod, answeredCode), async (run, [method, code]) => {
      const answer = await run.ask({ method, path: `/${code}` });
      run.expectEqual(`the status of ${method} /${code}`, answer.status, 405);
      const allowed = (answer.headers.allow ?? "")
        .split(",")
        .map((m) => m.trim())
        .sort()
        .join(", ");
      run.expectEqual(`the Allow header of ${method} /${code}`, allowed, wireTexts.allowedMethods.split(", ").sort().join(", "));
      run.expectEqual(`the body of ${method} /${code}`, answer.body.toString("utf8"), wireTexts.methodNotAllowed);
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
