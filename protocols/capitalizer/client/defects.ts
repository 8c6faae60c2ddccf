/**
 * The defects of broken-client.ts, by name, each with the one client rule it breaks: test/client-broken.test.ts
 * checks each and requires exactly that rule unmet.
 */
export const CLIENT_DEFECTS = {
  "newline-sent": "CAPC-SEND-EXACT",
  "first-bytes-enough": "CAPC-WAIT-REPLY",
  "first-piece-shown": "CAPC-REPLY-WHOLE",
  "limit-fails": "CAPC-LIMIT-END",
  "close-ignored": "CAPC-SERVER-CLOSE",
  "interrupt-unhandled": "CAPC-SIGINT-SHUTDOWN",
  "eof-plain-close": "CAPC-EOF-SHUTDOWN",
} as const;
