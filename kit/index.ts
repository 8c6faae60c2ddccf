/**
 * The kit for protocol authors, the one entry a protocol's code imports from (`sockspec/kit`), built-in
 * protocols included: the module type and the run-time pieces (`sockspec/kit/serve`), and the check
 * model, conversations, Violation and not-checkable errors, targets, arbitraries of hostile input, broken
 * servers and recorded sessions.
 * @module
 */
export * from "./serve.js";
export { default as fc } from "fast-check";
export {
  blameCrash,
  checkRecorder,
  converse,
  count,
  everyRun,
  EXIT_GRACE_MS,
  keptFolderProperty,
  onePerServer,
  serverProperty,
  sharedServerProperty,
  Violation,
  withFreshServer,
  type CheckContext,
  type KeptFolder,
  type RuleCheck,
  type RuleState,
  type ServerRun,
  type Timeouts,
} from "../conformance/check.js";
export { Conversation, failing } from "../conformance/conversation.js";
export { describeRead, describeValue, type Observed } from "../conformance/describe.js";
/** Arbitraries and byte sequences of hostile input: invalid and truncated UTF-8, NUL bytes, random bytes. */
export * as hostile from "../conformance/hostile.js";
export { inWorkFolder, NotCheckableError, TooSlowToJudgeError, workFolder, type ServerHandle } from "../conformance/target.js";
export type { BrokenServer } from "../conformance/broken-server.js";
export type { Recording, Session } from "../fixtures/recording.js";
export { jsonFile, messageSchemaFiles, socketProtocolFiles } from "../spec/generated-files.js";
