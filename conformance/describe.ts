import type { ReadResult } from "../transport/tcp-connection.js";
import { decodeUtf8 } from "../transport/transcript.js";
import type { Timeouts } from "./timeouts.js";

/** Past this many bytes, an observed message shows its first ones and its size. */
const SHOWN_BYTES = 200;

/** What a read gave, in words, for a report's `actual`; a long message shows its size and its beginning. */
export function describeRead(result: ReadResult, timeouts: Timeouts): string {
  switch (result.kind) {
    case "message": {
      const { bytes } = result;
      const size = bytes.length.toLocaleString("en");
      if (result.overflow) return `more than ${size} bytes with no whole answer (the kit stopped reading there); the first ${SHOWN_BYTES}: ${shown(bytes)}`;
      return bytes.length <= SHOWN_BYTES ? shown(bytes) : `${size} bytes; the first ${SHOWN_BYTES}: ${shown(bytes)}`;
    }
    case "closed":
      return "the server closed the connection";
    case "silence":
      return `no answer within ${timeouts.replyMs} ms`;
  }
}

/** A value as JSON for a report's `actual`, cut to its first SHOWN_BYTES characters with its length when longer. */
export function describeValue(value: unknown): string {
  const text = JSON.stringify(value) ?? String(value);
  return text.length <= SHOWN_BYTES ? text : `${text.length.toLocaleString("en")} characters; the first ${SHOWN_BYTES}: ${text.slice(0, SHOWN_BYTES)}…`;
}

/** The first SHOWN_BYTES bytes, as JSON text when they are UTF-8 (a cut character aside), base64 otherwise. */
function shown(bytes: Buffer): string {
  const head = bytes.subarray(0, SHOWN_BYTES);
  const text = decodeUtf8(head) ?? (bytes.length > SHOWN_BYTES ? decodeUtf8(head.subarray(0, -3)) : undefined);
  return text === undefined ? `bytes that are not UTF-8 (base64 ${head.toString("base64")})` : JSON.stringify(text);
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
