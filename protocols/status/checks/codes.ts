import { fc, type RuleCheck } from "../../../kit/index.js";
import { descriptionOf, reasonPhrases, status, unsupportedCodePattern } from "../spec/index.js";
import type { StatusRuleId } from "../spec/rule-ids.js";
import {
  accept,
  answeredCode,
  anyCase,
  badRandomRange,
  codeWithBody,
  integerSpace,
  knownCode,
  nonCodePath,
  randomRange,
  refusalExtras,
  refusedRequest,
  unknownCode,
  unsupportedPath,
} from "./arbitraries.js";
import { check } from "./session.js";
import { expectSameAnswer, get, shown } from "./shared.js";

const unsupportedBody = new RegExp(unsupportedCodePattern(), "s");

/** Which status an answer has: the code asked for, an unknown one, a random one, and the requests refused. */
export const codeChecks: Array<RuleCheck<StatusRuleId>> = [
  check({
    id: "STATUS-CODE",
    servers: "shared",
    inputs: fc.tuple(answeredCode, accept),
    run: async (run, [code, acceptHeader]) => {
      run.expectEqual(`the status of GET /${code}`, (await run.ask(get(code, acceptHeader))).status, code);
    },
  }),
  check({
    id: "STATUS-UNKNOWN-CODE",
    servers: "shared",
    inputs: fc.tuple(unknownCode, accept),
    run: async (run, [code, acceptHeader]) => {
      run.expectEqual(`the reason phrase of ${code}`, (await run.ask(get(code, acceptHeader))).reason, descriptionOf(code));
    },
  }),
  check({
    id: "STATUS-PATH-SUFFIX",
    // A range of one code draws that code: its answer is GET /<code>'s.
    servers: "shared",
    inputs: fc.tuple(codeWithBody, fc.stringMatching(/^[a-z0-9/._-]{0,16}$/), fc.boolean()),
    run: async (run, [code, rest, drawn]) => {
      const path = `${drawn ? "/random" : ""}/${code}/${rest}`;
      expectSameAnswer(run, `GET ${path}`, await run.ask({ method: "GET", path }), await run.ask(get(code)));
    },
  }),
  check({
    id: "STATUS-CODE-FORMAT",
    servers: "shared",
    inputs: fc
      .record({ code: codeWithBody, plus: fc.boolean(), zeros: fc.nat(3), before: integerSpace, after: integerSpace })
      .filter(({ plus, zeros, before, after }) => plus || zeros > 0 || before !== "" || after !== ""),
    run: async (run, { code, plus, zeros, before, after }) => {
      const written = `${encodeURIComponent(before)}${plus ? "+" : ""}${"0".repeat(zeros)}${code}${encodeURIComponent(after)}`;
      expectSameAnswer(run, `GET /${written}`, await run.ask(get(written)), await run.ask(get(code)));
    },
  }),
  check({
    id: "STATUS-REASON",
    servers: "shared",
    inputs: knownCode,
    run: async (run, code) => {
      run.expectEqual(`the reason phrase of ${code}`, (await run.ask(get(code))).reason, reasonPhrases.get(code)!);
    },
  }),
  check({
    id: "STATUS-RANDOM",
    servers: "shared",
    inputs: fc.tuple(
      fc.oneof(
        { arbitrary: randomRange.map((drawn) => ({ kind: "draw" as const, ...drawn })), weight: 4 },
        {
          arbitrary: fc.uniqueArray(codeWithBody, { minLength: 2, maxLength: 2 }).map((codes) => ({ kind: "spread" as const, range: codes.join(","), codes })),
          weight: 1,
        },
        { arbitrary: badRandomRange.map((range) => ({ kind: "refused" as const, range, codes: [] })), weight: 2 },
      ),
      fc.boolean(),
      fc.oneof({ arbitrary: fc.constant("random"), weight: 3 }, anyCase("random")),
    ),
    run: async (run, [{ kind, range, codes }, encoded, random]) => {
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
  }),
  check({
    id: "STATUS-UNSUPPORTED-CODE",
    servers: "shared",
    inputs: unsupportedPath,
    run: async (run, requested) => {
      const answer = await run.ask({ method: "GET", path: `/${requested}` });
      run.expectEqual(`the status for /${requested}`, answer.status, 400);
      const body = answer.body.toString("utf8");
      if (!unsupportedBody.test(body)) run.fail(`the bad-request body naming the unsupported code for /${requested}`, run.describeBody(answer));
    },
  }),
  check({
    id: "STATUS-NOT-FOUND",
    servers: "shared",
    inputs: nonCodePath,
    run: async (run, requested) => {
      run.expectEqual(`the status for /${requested}`, (await run.ask({ method: "GET", path: `/${requested}` })).status, 404);
    },
  }),
  check({
    id: "STATUS-REFUSAL",
    servers: "shared",
    inputs: fc.tuple(refusedRequest, refusalExtras),
    run: async (run, [refused, extras]) => {
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
    },
  }),
  check({
    id: "STATUS-NOT-ALWAYS-OK",
    servers: "shared",
    inputs: fc.oneof(answeredCode.filter((code) => code !== 200).map(String), unsupportedPath),
    run: async (run, requested) => {
      const answer = await run.ask({ method: "GET", path: `/${requested}` });
      if (answer.status === 200) run.fail(`another status than 200 for /${requested}`, `200 ${answer.reason}`);
    },
  }),
];
