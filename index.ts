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
import { checkProtocol, type CheckProtocolOptions } from "./conformance/runner.js";
import type { Report } from "./conformance/report.js";
import type { ProtocolModule } from "./protocols/protocol-module.js";
import { builtInProtocol } from "./protocols/registry.js";

export {
  checkProtocol,
  type CheckProtocolOptions,
  DEFAULT_RUNS,
  DEFAULT_SEED,
  DEFAULT_SHRINK_TIME_MS,
  DEFAULT_TIMEOUTS,
  type Note,
  type Progress,
  type TargetOption,
} from "./conformance/runner.js";

/** The options of check: those of checkProtocol, with a built-in protocol given by its name if you like. */
export type CheckOptions = Omit<CheckProtocolOptions, "protocol"> & {
  /** A built-in protocol by name, or a protocol module (a built-in one, or your own: see loadProtocolFolder). */
  protocol: string | ProtocolModule;
};

/**
 * Checks a server against every rule of a protocol's catalogue and returns the report (checkProtocol, with
 * a built-in protocol's name resolved here, at the package's root, where the registry belongs). Rejects
 * with a TargetUnavailableError when the target cannot be reached or started, and a RangeError for bad
 * options (an unknown protocol name among them).
 */
export function check(options: CheckOptions): Promise<Report> {
  const protocol = typeof options.protocol === "string" ? builtInProtocol(options.protocol) : options.protocol;
  return checkProtocol({ ...options, protocol });
}
export { summarize, type Outcome, type Report, type RuleDetail, type RuleResult, type Summary } from "./conformance/report.js";
export { EXIT, exitCode, runExit, type RunEnd } from "./conformance/exit-code.js";
export { compareBaseline, loadBaseline, type Baseline, type BaselineVerdict } from "./conformance/baseline.js";
export { formatHuman, type HumanOptions } from "./conformance/reporters/human.js";
export { formatTap } from "./conformance/reporters/tap.js";
export { formatJunit } from "./conformance/reporters/junit.js";
export { formatHtml } from "./conformance/reporters/html.js";
export { RECORDING_LIMITS, startRecordProxy, type RecordProxy, type RecordProxyOptions } from "./transport/record-proxy.js";
export type { Transport } from "./conformance/ports.js";
export {
  addressTarget,
  inProcessTarget,
  tcpServer,
  udpServer,
  TargetUnavailableError,
  type ServerExit,
  type StartOptions,
  type Target,
} from "./conformance/target.js";
export { spawnTarget, type SpawnOptions } from "./conformance/spawn.js";
export type { ResourceLimits } from "./conformance/containment.js";
export type { Message, ServerNeed } from "./spec/protocol.js";
export { runLoad, type LoadOptions, type LoadProgress, type LoadResult, type WrongExample } from "./load/driver.js";
export { formatLoad } from "./load/format.js";
export * from "./protocols/api.js";
export { builtInProtocols, builtInProtocol } from "./protocols/registry.js";
export { loadProtocolFolder, ProtocolFolderError } from "./protocols/load-folder.js";
export { serverTransport, type Client, type ClientOptions, type LoadModule, type ReferenceServer } from "./protocols/protocol-module.js";
export type { FailureKind } from "./conformance/check.js";
/** Everything a protocol of your own is written with (`sockspec/kit`), here too. */
export * from "./kit/index.js";
export { TranscriptRecorder, type RecordingLimits, type Transcript, type TranscriptEvent } from "./transport/transcript.js";
export type { Endpoint } from "./fixtures/recording.js";
export type { HttpServer } from "./transport/http-client.js";
