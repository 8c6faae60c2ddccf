/**
 * The kit for protocol authors, the one entry a protocol's code imports from (`sockspec/kit`), built-in
 * protocols included: the module type and the run-time pieces (`sockspec/kit/serve`), and the check
 * model, conversations, Violation and not-checkable errors, targets, arbitraries of malformed input, broken
 * servers and recorded sessions.
 * @module
 */
export * from "./serve.js";
export { default as fc } from "fast-check";
export {
  blameCrash,
  checkRecorder,
  count,
  EXIT_GRACE_MS,
  Violation,
  type CheckContext,
  type Closable,
  type RuleCheck,
  type RuleState,
  type Timeouts,
} from "../conformance/check.js";
export {
  defineChecks,
  type CheckDefinition,
  type DefinitionBase,
  type OpenSession,
  type RunShare,
  type ServerFolder,
  type ServerUse,
  type SessionRun,
} from "../conformance/define-check.js";
export { Conversation, failing } from "../conformance/conversation.js";
export { describeRead, describeValue, type Observed } from "../conformance/describe.js";
/** Arbitraries and byte sequences of malformed input: invalid and truncated UTF-8, NUL bytes, random bytes. */
export * as malformedInput from "../conformance/malformed-input.js";
export { inWorkFolder, NotCheckableError, TooSlowToJudgeError, workFolder, type ServerHandle } from "../conformance/target.js";
export type { BrokenServer } from "../conformance/broken-server.js";
export type { Recording, Session } from "../fixtures/recording.js";
export { jsonFile, messageSchemaFiles, socketProtocolFiles } from "../spec/generated-files.js";
/** Checking clients: the kit plays the server, scripted per run, and judges what the client sends and shows. */
export { defineClientChecks, type ClientCheckDefinition, type ClientRuleCheck } from "../conformance/client/define-client-check.js";
export { ClientSession, type ClientCheckContext } from "../conformance/client/session.js";
export { ScriptedConnection, ScriptedTcpServer, type ClientRead } from "../conformance/client/scripted-tcp-server.js";
export { ScriptedUdpServer, type ClientDatagram, type SpoofSource } from "../conformance/client/scripted-udp-server.js";
export type { ScriptedServer } from "../conformance/client/scripted-server.js";
export { ClientProcess, showsTraceback, type ClientExit } from "../conformance/client/client-process.js";
export { inputLines, loadDriver, type ClientDriver, type DriverActions } from "../conformance/client/driver.js";
export { checkClient, clientDriver, type CheckClientOptions } from "../conformance/client/client-runner.js";
