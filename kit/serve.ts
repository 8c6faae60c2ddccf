/**
 * The part of the kit a protocol needs at run time, without the checking machinery (fast-check, the
 * runner): its module and document, its reference server and client, its load and its own commands.
 * `sockspec serve`, which the runner starts again and again, loads only this. Import it as
 * `sockspec/kit/serve`; everything here is in `sockspec/kit` too.
 * @module
 */
export type {
  ProtocolModule,
  ClientChecks,
  Command as ProtocolCommand,
  CommandOptions,
  ProvingClient,
  ProvingServer,
  ServerConfig,
} from "../protocols/protocol-module.js";
export type { InProcessServer } from "../conformance/target.js";
export { loadProtocol, type ProtocolSpec, type Rule, type ClientRule, type Level } from "../spec/protocol.js";
export { readJson } from "../spec/read-json.js";
export { escapeRegExp, fill, templatePattern } from "../spec/wire-text.js";
export { packageRoot, protocolsDir } from "../spec/paths.js";
export { closeServer, listen } from "../transport/tcp-server.js";
export { bind, closeSocket } from "../transport/udp-server.js";
export { loopbackAddress, serverOf } from "../transport/address.js";
export { decodeUtf8, type TranscriptRecorder } from "../transport/transcript.js";
export { ConnectionRefusedError, MAX_READ_BYTES, TcpConnection, type ReadOptions, type ReadResult } from "../transport/tcp-connection.js";
export { UdpClient } from "../transport/udp-socket.js";
export { httpRequest, type HttpAnswer, type HttpRequest, type HttpResult } from "../transport/http-client.js";
export type { Exchange, LoadClient, Workload } from "../load/driver.js";
export { integerOption, parse, UsageError } from "../conformance/usage.js";
