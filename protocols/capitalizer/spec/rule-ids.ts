// Generated from its protocol.json by `npm run spec`: do not edit.

/** A rule of the capitalizer protocol's catalogue, by its ID. */
export type CapitalizerRuleId =
  | "CAP-REPLY-UPPER"
  | "CAP-REPLY-SUFFIX"
  | "CAP-FRAME-ONE-WRITE"
  | "CAP-CONCURRENT-CLIENTS"
  | "CAP-QUOTA-LIMIT"
  | "CAP-QUOTA-CLOSE"
  | "CAP-QUOTA-SHARED"
  | "CAP-QUOTA-RACE"
  | "CAP-SHUTDOWN-CLOSE"
  | "CAP-SHUTDOWN-NO-COUNT"
  | "CAP-SHUTDOWN-EXACT"
  | "CAP-ACCEPT-AFTER-END"
  | "CAP-DISCONNECT-NO-COUNT"
  | "CAP-UTF8-INVALID-NO-COUNT"
  | "CAP-UTF8-INVALID-ISOLATION"
  | "CAP-UTF8-INVALID-CLOSE"
  | "CAP-ABRUPT-CLIENTS"
  | "CAP-FUZZ-SURVIVE"
  | "CAP-IDLE-TIMEOUT"
  | "CAP-CONNECTION-LIMIT"
  | "CAP-CONNECTION-LIMIT-PER-ADDRESS";

/** A rule of the capitalizer protocol's client catalogue, by its ID. */
export type CapitalizerClientRuleId =
  "CAPC-SEND-EXACT" | "CAPC-WAIT-REPLY" | "CAPC-REPLY-WHOLE" | "CAPC-LIMIT-END" | "CAPC-SERVER-CLOSE" | "CAPC-SIGINT-SHUTDOWN" | "CAPC-EOF-SHUTDOWN";
