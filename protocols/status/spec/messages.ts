import { escapeRegExp } from "../../../kit/serve.js";
import {
  answeredCodes,
  answeredMethods,
  badRangeBody,
  badSleepBody,
  badSuppressBodyBody,
  notFoundPattern,
  textBody,
  unframedBodyBody,
  unsupportedCodePattern,
  type StatusSpec,
} from "./index.js";

const unanchored = (pattern: string) => pattern.slice(1, -1);

/**
 * The JSON Schema of each status message, derived from the protocol document and the reason-phrase table.
 * `npm run spec` writes them to protocols/status/spec/messages/.
 */
export function statusMessageSchemas(spec: StatusSpec): Record<string, object> {
  const id = (name: string) => `https://sockspec.dev/status/messages/${name}.schema.json`;
  const unsupported = unanchored(unsupportedCodePattern(spec));
  return {
    request: {
      $schema: "https://json-schema.org/draft/2020-12/schema",
      $id: id("request"),
      title: "Status request line (client to server)",
      type: "string",
      $comment: "The path is sent percent-encoded: /%20200 is a request for 200 (STATUS-CODE-FORMAT).",
      pattern: `^(${answeredMethods(spec).join("|")}) /[^/?\\s]+(/[^?\\s]*)?(\\?\\S*)? HTTP/1\\.1$`,
    },
    "text-answer": {
      $schema: "https://json-schema.org/draft/2020-12/schema",
      $id: id("text-answer"),
      title: "Status text answer body (server to client)",
      enum: answeredCodes.map((code) => textBody(code, spec)),
    },
    "json-answer": {
      $schema: "https://json-schema.org/draft/2020-12/schema",
      $id: id("json-answer"),
      title: "Status JSON answer body (server to client)",
      $comment: "The body parsed as JSON; description is the code's reason phrase (protocols/status/spec/reason-phrases.json).",
      type: "object",
      required: ["code", "description"],
      additionalProperties: false,
      properties: { code: { enum: [...answeredCodes] }, description: { type: "string", minLength: 1 } },
    },
    "bad-request": {
      $schema: "https://json-schema.org/draft/2020-12/schema",
      $id: id("bad-request"),
      title: "Status bad-request answer body (server to client)",
      type: "string",
      pattern: `^(?:${unsupported}|${[badSleepBody(spec), badSuppressBodyBody(spec), badRangeBody(spec), unframedBodyBody(spec)].map(escapeRegExp).join("|")})$`,
    },
    "not-found": {
      $schema: "https://json-schema.org/draft/2020-12/schema",
      $id: id("not-found"),
      title: "Status not-found answer body (server to client)",
      type: "string",
      pattern: notFoundPattern(spec),
    },
    "method-not-allowed": {
      $schema: "https://json-schema.org/draft/2020-12/schema",
      $id: id("method-not-allowed"),
      title: "Status method-not-allowed answer body (server to client)",
      const: spec.wireTexts.methodNotAllowed,
    },
    preflight: {
      $schema: "https://json-schema.org/draft/2020-12/schema",
      $id: id("preflight"),
      title: "Status CORS preflight answer body (server to client): empty",
      const: "",
    },
    index: {
      $schema: "https://json-schema.org/draft/2020-12/schema",
      $id: id("index"),
      title: "Status index answer body (server to client)",
      const: spec.wireTexts.index,
    },
  };
}
