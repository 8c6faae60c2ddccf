import { loadProtocol, type ProtocolSpec } from "../protocol.js";
import { upperCase } from "./uppercase.js";

export type CapitalizerWireText = "replySuffix" | "limitNotice" | "shutdownRequest" | "busyNotice";
export type CapitalizerLimit = "maxSentenceBytes" | "quota" | "minConcurrentClients" | "idleTimeoutMs" | "maxConnections";
export type CapitalizerSpec = ProtocolSpec<CapitalizerWireText, CapitalizerLimit>;

/** The capitalizer protocol document: the single source of its wire texts, limits and rules. */
export const capitalizer: CapitalizerSpec = loadProtocol(
  "capitalizer",
  ["replySuffix", "limitNotice", "shutdownRequest", "busyNotice"] as const,
  ["maxSentenceBytes", "quota", "minConcurrentClients", "idleTimeoutMs", "maxConnections"] as const,
);

/**
 * Whether bytes from the server make a whole answer: a reply ends with the reply suffix, and the limit
 * and busy notices are the other answers there are (the protocol has no delimiter; see framing.hazards).
 */
export function isWholeAnswer(bytes: Uint8Array, spec: CapitalizerSpec = capitalizer): boolean {
  const text = Buffer.from(bytes).toString("utf8");
  return text.endsWith(spec.wireTexts.replySuffix) || text === spec.wireTexts.limitNotice || text === spec.wireTexts.busyNotice;
}

/**
 * The reply the protocol prescribes for a sentence, upper-cased by the newest Unicode version the spec
 * accepts; a server may as well follow any other accepted version (acceptedUpperCases).
 */
export function expectedReply(sentence: string, spec: CapitalizerSpec = capitalizer): string {
  return upperCase(sentence) + spec.wireTexts.replySuffix;
}
