import type { ReadResult } from "../transport/tcp-connection.js";
import { decodeUtf8 } from "../transport/transcript.js";
import type { Timeouts } from "./check.js";

/** What a read gave, in words, for a report's `actual`. */
export function describeRead(result: ReadResult, timeouts: Timeouts): string {
  switch (result.kind) {
    case "message": {
      const text = decodeUtf8(result.bytes);
      return text === undefined ? `bytes that are not UTF-8 (base64 ${result.bytes.toString("base64")})` : JSON.stringify(text);
    }
    case "closed":
      return "the server closed the connection";
    case "silence":
      return `no answer within ${timeouts.replyMs} ms`;
  }
}

/**
 * What a check saw instead of what it expected: a read's result, words, or a wait that ended in silence
 * (`{ silent: "it was still open after 2000 ms" }`).
 */
export type Observed = string | ReadResult | { silent: string };

/** An observation in words, and whether it was silence: what the rule waited for never came. */
export function observation(observed: Observed, timeouts: Timeouts): { actual: string; silence: boolean } {
  if (typeof observed === "string") return { actual: observed, silence: false };
  if ("silent" in observed) return { actual: observed.silent, silence: true };
  return { actual: describeRead(observed, timeouts), silence: observed.kind === "silence" };
}
