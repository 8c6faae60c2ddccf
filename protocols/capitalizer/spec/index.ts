import path from "node:path";
import { loadProtocol, protocolsDir, type ProtocolSpec } from "../../../kit/serve.js";
import { upperCase } from "./uppercase.js";

export type CapitalizerWireText = "replySuffix" | "limitNotice" | "shutdownRequest" | "busyNotice";
export type CapitalizerLimit =
  "maxSentenceBytes" | "quota" | "minConcurrentClients" | "idleTimeoutMs" | "maxConnections" | "maxConnectionsPerAddress" | "closeGraceMs";
export type CapitalizerSpec = ProtocolSpec<CapitalizerWireText, CapitalizerLimit>;

/** The capitalizer protocol document: the single source of its wire texts, limits and rules. */
export const capitalizer: CapitalizerSpec = loadProtocol(
  path.join(protocolsDir, "capitalizer", "spec", "protocol.json"),
  ["replySuffix", "limitNotice", "shutdownRequest", "busyNotice"] as const,
  ["maxSentenceBytes", "quota", "minConcurrentClients", "idleTimeoutMs", "maxConnections", "maxConnectionsPerAddress", "closeGraceMs"] as const,
);

/**
 * Why a server's limits break the spec's constraints on them (undefined when they do not): racing for the
 * quota takes quota - 1 clients from one address, which a smaller per-address cap would turn away.
 */
export function capitalizerLimitsProblem(limits: Readonly<Partial<Record<CapitalizerLimit, number>>>): string | undefined {
  const quota = limits.quota ?? capitalizer.limits.quota;
  const perAddress = limits.maxConnectionsPerAddress ?? capitalizer.limits.maxConnectionsPerAddress;
  return perAddress < quota ? `maxConnectionsPerAddress must be at least the quota (${quota}), got ${perAddress}` : undefined;
}

/**
 * Whether bytes from the server make a whole answer: a reply ends with the reply suffix, and the limit
 * and busy notices are the other answers there are (the protocol has no delimiter; see framing.hazards).
 */
export function isWholeAnswer(bytes: Uint8Array, spec: CapitalizerSpec = capitalizer): boolean {
  // Compared as bytes, so that a long read is never turned into text just to look at its end.
  const data = Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const { replySuffix, limitNotice, busyNotice } = wireBytes(spec);
  return data.subarray(data.length - replySuffix.length).equals(replySuffix) || data.equals(limitNotice) || data.equals(busyNotice);
}

const wireBytesOf = new WeakMap<CapitalizerSpec, Record<"replySuffix" | "limitNotice" | "busyNotice", Buffer>>();
function wireBytes(spec: CapitalizerSpec) {
  let bytes = wireBytesOf.get(spec);
  if (!bytes) {
    const { replySuffix, limitNotice, busyNotice } = spec.wireTexts;
    bytes = { replySuffix: Buffer.from(replySuffix), limitNotice: Buffer.from(limitNotice), busyNotice: Buffer.from(busyNotice) };
    wireBytesOf.set(spec, bytes);
  }
  return bytes;
}

/**
 * The most bytes a read of one answer takes in: a few times the longest answer a correct server gives a
 * sentence (upper-casing can triple a sentence's UTF-8 length, as `ΐ` becomes `Ϊ́`).
 */
export function maxAnswerBytes(spec: CapitalizerSpec = capitalizer): number {
  return 4 * (3 * spec.limits.maxSentenceBytes + Buffer.byteLength(spec.wireTexts.replySuffix));
}

/**
 * The reply the protocol prescribes for a sentence, upper-cased by the newest Unicode version the spec
 * accepts; a server may as well follow any other accepted version (acceptedUpperCases).
 */
export function expectedReply(sentence: string, spec: CapitalizerSpec = capitalizer): string {
  return upperCase(sentence) + spec.wireTexts.replySuffix;
}
