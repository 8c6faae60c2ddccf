/**
 * sockspec: protocol specifications and a conformance test kit.
 *
 * @example
 * ```ts
 * import { check } from "sockspec";
 * const report = await check({ protocol: "capitalizer", target: { spawn: "python3 tcpserver.py" } });
 * ```
 * @module
 */
export {
  check,
  DEFAULT_RUNS,
  DEFAULT_SEED,
  DEFAULT_SHRINK_TIME_MS,
  DEFAULT_TIMEOUTS,
  type CheckOptions,
  type Note,
  type Progress,
  type TargetOption,
} from "./conformance/runner.js";
export { exitCode, summarize, type Outcome, type Report, type RuleDetail, type RuleResult, type Summary } from "./conformance/report.js";
export { formatHuman, type HumanOptions } from "./conformance/reporters/human.js";
export { formatTap } from "./conformance/reporters/tap.js";
export { formatJunit } from "./conformance/reporters/junit.js";
export { formatHtml } from "./conformance/reporters/html.js";
export { startRecordProxy, type RecordProxy, type RecordProxyOptions } from "./transport/record-proxy.js";
export type { Transport } from "./conformance/ports.js";
export type { Timeouts } from "./conformance/check.js";
export {
  addressTarget,
  inProcessTarget,
  tcpServer,
  udpServer,
  TargetUnavailableError,
  type InProcessServer,
  type ServerExit,
  type ServerHandle,
  type StartOptions,
  type Target,
} from "./conformance/target.js";
export { spawnTarget, type SpawnOptions } from "./conformance/spawn.js";
export { createCapitalizerServer, type CapitalizerServerOptions } from "./protocols/capitalizer/reference/server.js";
export { runCapitalizerClient, type CapitalizerClientOptions } from "./protocols/capitalizer/reference/client.js";
export { capitalizer, expectedReply, type CapitalizerLimit, type CapitalizerSpec, type CapitalizerWireText } from "./protocols/capitalizer/spec/index.js";
export { createBankServer, type BankServerOptions } from "./protocols/bank/reference/server.js";
export { runBankClient, type BankClientOptions } from "./protocols/bank/reference/client.js";
export { bank, type BankLimit, type BankSpec, type BankWireText } from "./protocols/bank/spec/index.js";
export type { Level, Message, ProtocolSpec, Rule, ServerNeed } from "./spec/protocol.js";
export { TranscriptRecorder, type Transcript, type TranscriptEvent } from "./transport/transcript.js";
export { runLoad, type Exchange, type LoadClient, type LoadOptions, type LoadProgress, type LoadResult, type Workload } from "./load/driver.js";
export { capitalizerWorkload } from "./protocols/capitalizer/load.js";
export { bankWorkload, bankWorkloads, type BankLoadOptions, type BankWorkload } from "./protocols/bank/load.js";
export { formatLoad } from "./load/format.js";
export { createStatusServer, type StatusServerOptions } from "./protocols/status/reference/server.js";
export { status, acceptsJson, answeredCodes, reasonPhrases, type StatusLimit, type StatusSpec, type StatusWireText } from "./protocols/status/spec/index.js";
export { httpRequest, type HttpAnswer, type HttpRequest, type HttpResult, type HttpServer } from "./transport/http-client.js";
export { statusWorkload } from "./protocols/status/load.js";
