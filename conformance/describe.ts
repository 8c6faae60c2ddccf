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
