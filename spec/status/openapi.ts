import { readFileSync } from "node:fs";
import path from "node:path";
import { packageRoot } from "../paths.js";
import { protocolDir } from "../protocol.js";
import { answeredCodes, challengeHeader, hasNoBody, needsLocation, reasonPhrases, textBody, type StatusSpec } from "./index.js";

export const openApiPath = () => path.join(protocolDir("status"), "openapi.json");

const withoutIds = (schema: object) => {
  const { $schema: _schema, $id: _id, ...rest } = schema as Record<string, unknown>;
  return rest;
};

/**
 * The status protocol as an OpenAPI 3.1 document, so OpenAPI tooling can render and call it: GET and
 * HEAD of /{code} with the sleep parameter, one response per echoed code (its reason phrase, its text and
 * JSON bodies, its Location or challenge header), and the bad-request answer.
 */
export function openApiDocument(spec: StatusSpec, messageSchemas: Record<string, object>): object {
  const { version } = JSON.parse(readFileSync(path.join(packageRoot, "package.json"), "utf8")) as { version: string };
  const { wireTexts, limits } = spec;
  const headers = (code: number, withBody: boolean) => {
    const named: Record<string, object> = {};
    if (needsLocation(code))
      named.Location = { description: `Always ${wireTexts.redirectLocation}, the service's root.`, schema: { const: wireTexts.redirectLocation } };
    const challenge = challengeHeader(code);
    if (challenge) named[challenge] = { schema: { const: wireTexts.authenticateChallenge } };
    return withBody || Object.keys(named).length > 0 ? { headers: named } : {};
  };
  const echoed = (withBody: boolean) =>
    Object.fromEntries(
      answeredCodes.map((code) => {
        const body = withBody && !hasNoBody(code);
        const phrase = reasonPhrases.get(code)!;
        const content = body
          ? {
              content: {
                "text/plain": { schema: { const: textBody(code, spec) } },
                "application/json": { schema: { $ref: "#/components/schemas/JsonAnswer" }, example: { code, description: phrase } },
              },
            }
          : {};
        const description =
          code === 400 ? `${phrase}: echoed when asked for, and the answer to a code not answered or a bad sleep (text/plain: the bad-request body)` : phrase;
        return [String(code), { description, ...headers(code, body), ...content }];
      }),
    );
  const parameters = [
    {
      name: "code",
      in: "path",
      required: true,
      description: `The status code to answer with: one from ${limits.minCode} to ${limits.maxCode} that httpstat.us knows (reason-phrases.json). Any other gets 400.`,
      schema: { type: "integer", enum: [...answeredCodes] },
    },
    {
      name: "sleep",
      in: "query",
      required: false,
      description: `Milliseconds to wait before answering, at most ${limits.maxSleepMs}.`,
      schema: { type: "integer", minimum: 0, maximum: limits.maxSleepMs },
    },
  ];
  return {
    openapi: "3.1.0",
    info: {
      title: `${spec.title} protocol`,
      version,
      description: `${spec.summary}\n\nA request whose Accept header names application/json (not below text/plain) gets JSON, any other text. Methods other than GET and HEAD get 405. Generated from spec/status/protocol.json by \`npm run spec\`; the rules are in docs/protocols/status.md.`,
    },
    servers: [{ url: `http://127.0.0.1:${spec.defaultPort}`, description: "The reference server: `npx sockspec serve status`." }],
    paths: {
      "/": {
        get: {
          operationId: "index",
          summary: "What the service does",
          responses: { "200": { description: "OK", content: { "text/plain": { schema: { const: wireTexts.index } } } } },
        },
      },
      "/{code}": {
        parameters,
        get: { operationId: "echoStatus", summary: "Answer with the status code asked for", responses: echoed(true) },
        head: { operationId: "echoStatusHead", summary: "As GET, without a body", responses: echoed(false) },
      },
    },
    components: { schemas: { JsonAnswer: withoutIds(messageSchemas["json-answer"]!) } },
  };
}
