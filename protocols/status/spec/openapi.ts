import { readFileSync } from "node:fs";
import path from "node:path";
import { fill, packageRoot, templatePattern } from "../../../kit/serve.js";
import {
  answeredCodes,
  answeredMethods,
  carriesRetryAfter,
  challengeHeader,
  hasNoBody,
  knownCodes,
  needsLocation,
  reasonPhrases,
  textBody,
  type StatusSpec,
} from "./index.js";

const withoutIds = (schema: object) => {
  const { $schema: _schema, $id: _id, ...rest } = schema as Record<string, unknown>;
  return rest;
};

/**
 * The status protocol as an OpenAPI 3.1 document, so OpenAPI tooling can render and call it: every method
 * answered on /{code} and /random/{range} with their parameters, one response per code the table knows (its
 * reason phrase, its text and JSON bodies, its Location, challenge or Retry-After header), a response per
 * class for the codes it does not know, and the bad-request answer. The responses live in components, once
 * with a body and once without (HEAD), and every operation refers to them.
 */
export function openApiDocument(spec: StatusSpec, messageSchemas: Record<string, object>): object {
  const { version } = JSON.parse(readFileSync(path.join(packageRoot, "package.json"), "utf8")) as { version: string };
  const { wireTexts, limits } = spec;
  const headers = (code: number | undefined) => {
    const named: Record<string, object> = {};
    if (code !== undefined && needsLocation(code))
      named.Location = { description: `${wireTexts.redirectLocation}, the service's root, unless the request names another.`, schema: { type: "string" } };
    const challenge = code === undefined ? undefined : challengeHeader(code);
    if (challenge) named[challenge] = { schema: { const: wireTexts.authenticateChallenge } };
    if (code !== undefined && carriesRetryAfter(code)) named["Retry-After"] = { description: "Unless the request names another.", schema: { type: "string" } };
    return Object.keys(named).length > 0 ? { headers: named } : {};
  };
  const content = (text: object, example: object) => ({
    content: {
      [wireTexts.textContentType]: { schema: text },
      [wireTexts.jsonContentType]: { schema: { $ref: "#/components/schemas/JsonAnswer" }, example },
    },
  });
  const response = (code: number, withBody: boolean) => {
    const phrase = reasonPhrases.get(code)!;
    const description =
      code === 400
        ? `${phrase}: echoed when asked for, and the answer to a code not answered, a bad sleep, suppressBody or range (text/plain: the bad-request body)`
        : phrase;
    const body = withBody && !hasNoBody(code) ? content({ const: textBody(code, spec) }, { code, description: phrase }) : {};
    return { description, ...headers(code), ...body };
  };
  const classes = [...new Set(answeredCodes.filter((code) => !reasonPhrases.has(code)).map((code) => Math.floor(code / 100)))];
  const unknown = (withBody: boolean) => ({
    description: `A code the table does not know: the reason phrase is ${wireTexts.unknownDescription}.`,
    ...(withBody
      ? content({ type: "string", pattern: templatePattern(fill(wireTexts.textBody, { description: wireTexts.unknownDescription }), { code: "[0-9]{3}" }) }, {})
      : {}),
  });
  const components: Record<string, object> = {};
  const refs = (withBody: boolean) => {
    const suffix = withBody ? "" : "-head";
    const entries: Array<[string, object]> = [
      ...knownCodes.map((code): [string, object] => [String(code), response(code, withBody)]),
      ...classes.map((digit): [string, object] => [`${digit}XX`, unknown(withBody)]),
    ];
    for (const [key, value] of entries) components[`${key}${suffix}`] = value;
    return Object.fromEntries(entries.map(([key]) => [key, { $ref: `#/components/responses/${key}${suffix}` }]));
  };
  const withBody = refs(true);
  const withoutBody = refs(false);
  const query = [
    {
      name: "sleep",
      in: "query",
      required: false,
      description: `Milliseconds to wait before answering, at most ${limits.maxSleepMs}; a negative one counts as 0.`,
      schema: { type: "integer", maximum: limits.maxSleepMs },
    },
    { name: "suppressBody", in: "query", required: false, description: "true: answer without a body and without Content-Type.", schema: { type: "boolean" } },
    { name: wireTexts.sleepHeader, in: "header", required: false, description: "The sleep, when the query has none.", schema: { type: "integer" } },
    { name: wireTexts.suppressBodyHeader, in: "header", required: false, description: "suppressBody, when the query has none.", schema: { type: "boolean" } },
  ];
  const methods = answeredMethods(spec).map((method) => method.toLowerCase());
  const operations = (id: string, summary: string) =>
    Object.fromEntries(
      methods.map((method) => [
        method,
        { operationId: `${id}${method[0]!.toUpperCase()}${method.slice(1)}`, summary, responses: method === "head" ? withoutBody : withBody },
      ]),
    );
  return {
    openapi: "3.1.0",
    info: {
      title: `${spec.title} protocol`,
      version,
      description: `${spec.summary}\n\nA request whose Accept header names application/json (not below text/plain) gets JSON, any other text. Every method listed is answered as GET (HEAD without a body); others get 405. A request header ${wireTexts.responseHeaderPrefix}<Name> adds <Name> to the answer; a request with an Origin gets CORS headers. A path that names no code gets 404. Generated from protocols/status/spec/protocol.json by \`npm run spec\`; the rules are in docs/protocols/status.md.`,
    },
    servers: [{ url: `http://127.0.0.1:${spec.defaultPort}`, description: "The reference server: `npx sockspec serve status`." }],
    paths: {
      "/": {
        get: {
          operationId: "index",
          summary: "What the service does",
          responses: { "200": { description: "OK", content: { [wireTexts.textContentType]: { schema: { const: wireTexts.index } } } } },
        },
      },
      "/{code}": {
        parameters: [
          {
            name: "code",
            in: "path",
            required: true,
            description: `The status code to answer with, from ${limits.minCode} to ${limits.maxCode} (leading zeros and a + allowed). Any other number gets 400.`,
            schema: { type: "integer", minimum: limits.minCode, maximum: limits.maxCode },
          },
          ...query,
        ],
        ...operations("echoStatus", "Answer with the status code asked for"),
      },
      "/random/{range}": {
        parameters: [
          {
            name: "range",
            in: "path",
            required: true,
            description: `Codes and spans of codes, comma-separated (200,201-204), at most ${limits.maxRandomChoices} in all: the answer is that of a code drawn from them, each as likely. Any other range gets 400.`,
            schema: { type: "string", pattern: "^[0-9]+(-[0-9]+)?(,[0-9]+(-[0-9]+)?)*$" },
          },
          ...query,
        ],
        ...operations("randomStatus", "Answer with a status code drawn from the range"),
      },
    },
    components: { schemas: { JsonAnswer: withoutIds(messageSchemas["json-answer"]!) }, responses: components },
  };
}
