import { fc, type HttpAnswer, type RuleCheck } from "../../../kit/index.js";
import { acceptsJson, jsonBody, status, textBody } from "../spec/index.js";
import type { StatusRuleId } from "../spec/rule-ids.js";
import { accept, answeredCode, anyCase, booleanText, codeWithBody, noBodyCode, notBoolean, spacedBooleanText } from "./arbitraries.js";
import { check, type StatusSession } from "./session.js";
import { acceptedAs, contentType, expectSameAnswer, formEncoded, get, shown, wireTexts } from "./shared.js";

/** The rule's text body, or its JSON body, as the Accept header decides. */
function expectEchoBody(run: StatusSession, answer: HttpAnswer, code: number, acceptHeader: string | undefined): void {
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

/** Fails the run unless the answer has no body and no Content-Type (STATUS-NO-BODY, STATUS-SUPPRESS-BODY). */
function expectNoBody(run: StatusSession, what: string, answer: HttpAnswer): void {
  if (answer.body.length > 0) run.fail(`no body for ${what}`, run.describeBody(answer));
  if (contentType(answer) !== undefined) run.fail(`no Content-Type for ${what}`, shown("Content-Type", contentType(answer)));
}

/** What an answer carries: its text or JSON body, none where the code has none, none for HEAD or when asked. */
export const bodyChecks: Array<RuleCheck<StatusRuleId>> = [
  check({
    id: "STATUS-TEXT-BODY",
    servers: "shared",
    inputs: fc.tuple(
      codeWithBody,
      accept.filter((a) => !acceptsJson(a)),
    ),
    run: async (run, [code, acceptHeader]) => {
      expectEchoBody(run, await run.ask(get(code, acceptHeader)), code, acceptHeader);
    },
  }),
  check({
    id: "STATUS-JSON-BODY",
    servers: "shared",
    inputs: fc.tuple(codeWithBody, accept.filter(acceptsJson)),
    run: async (run, [code, acceptHeader]) => {
      expectEchoBody(run, await run.ask(get(code, acceptHeader)), code, acceptHeader);
    },
  }),
  check({
    id: "STATUS-NO-BODY",
    servers: "shared",
    inputs: fc.tuple(noBodyCode, accept),
    run: async (run, [code, acceptHeader]) => {
      const answer = await run.ask(get(code, acceptHeader));
      expectNoBody(run, `GET /${code}`, answer);
    },
  }),
  check({
    id: "STATUS-HEAD",
    servers: "shared",
    inputs: fc.tuple(answeredCode, accept),
    run: async (run, [code, acceptHeader]) => {
      const got = await run.ask(get(code, acceptHeader));
      const head = await run.ask({ ...get(code, acceptHeader), method: "HEAD" });
      run.expectEqual(`HEAD /${code}'s status, as GET's`, head.status, got.status);
      run.expectEqual(`HEAD /${code}'s reason phrase, as GET's`, head.reason, got.reason);
      run.expectEqual(`HEAD /${code}'s Content-Type, as GET's`, contentType(head), contentType(got));
      if (head.body.length > 0) run.fail(`no body on HEAD /${code}`, `${head.body.length} bytes`);
    },
  }),
  check({
    id: "STATUS-SUPPRESS-BODY",
    servers: "shared",
    inputs: fc.tuple(
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
    run: async (
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
  }),
];
