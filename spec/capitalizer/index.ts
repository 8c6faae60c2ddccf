import { loadProtocol, type ProtocolSpec } from "../protocol.js";

export type CapitalizerWireText = "replySuffix" | "limitNotice" | "shutdownRequest";
export type CapitalizerLimit = "maxSentenceBytes" | "quota" | "minConcurrentClients";
export type CapitalizerSpec = ProtocolSpec<CapitalizerWireText, CapitalizerLimit>;

/** The capitalizer protocol document: the single source of its wire texts, limits and rules. */
export const capitalizer: CapitalizerSpec = loadProtocol(
  "capitalizer",
  ["replySuffix", "limitNotice", "shutdownRequest"] as const,
  ["maxSentenceBytes", "quota", "minConcurrentClients"] as const,
);

/** The reply the protocol prescribes for a sentence. */
export function expectedReply(sentence: string, spec: CapitalizerSpec = capitalizer): string {
  return sentence.toUpperCase() + spec.wireTexts.replySuffix;
}
