import type { CapitalizerSpec } from "./index.js";
import { escapeRegExp } from "../../../kit/serve.js";

/**
 * The JSON Schema of each capitalizer message, derived from the protocol document so that each wire text
 * is written once (in protocol.json). `npm run spec` writes them to protocols/capitalizer/spec/messages/.
 */
export function capitalizerMessageSchemas(spec: CapitalizerSpec): Record<string, object> {
  const { wireTexts, limits } = spec;
  const id = (name: string) => `https://sockspec.dev/capitalizer/messages/${name}.schema.json`;
  return {
    sentence: {
      $schema: "https://json-schema.org/draft/2020-12/schema",
      $id: id("sentence"),
      title: "Capitalizer sentence (client to server)",
      $comment: `At most ${limits.maxSentenceBytes} bytes once UTF-8 encoded: JSON Schema counts characters, so maxLength is only the bound that follows; the runner checks bytes.`,
      type: "string",
      minLength: 1,
      maxLength: limits.maxSentenceBytes,
      not: { const: wireTexts.shutdownRequest },
    },
    "shutdown-request": {
      $schema: "https://json-schema.org/draft/2020-12/schema",
      $id: id("shutdown-request"),
      title: "Capitalizer shutdown request (client to server)",
      const: wireTexts.shutdownRequest,
    },
    reply: {
      $schema: "https://json-schema.org/draft/2020-12/schema",
      $id: id("reply"),
      title: "Capitalizer reply (server to client)",
      type: "string",
      pattern: `${escapeRegExp(wireTexts.replySuffix)}$`,
    },
    "limit-notice": {
      $schema: "https://json-schema.org/draft/2020-12/schema",
      $id: id("limit-notice"),
      title: "Capitalizer limit notice (server to client)",
      const: wireTexts.limitNotice,
    },
    "busy-notice": {
      $schema: "https://json-schema.org/draft/2020-12/schema",
      $id: id("busy-notice"),
      title: "Capitalizer busy notice (server to client)",
      const: wireTexts.busyNotice,
    },
  };
}
