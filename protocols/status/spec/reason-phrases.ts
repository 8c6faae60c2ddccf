import path from "node:path";
import { protocolsDir, readJson } from "../../../kit/serve.js";

/**
 * The reason-phrase table the spec publishes: httpstat.us's codes and descriptions, read from its source
 * and kept by hand in protocols/status/spec/reason-phrases.json (its $comment says from where). The protocol answers
 * every code from minCode to maxCode; the table gives the description of those it knows.
 */
export const reasonPhrasesPath = () => path.join(protocolsDir, "status", "spec", "reason-phrases.json");

/** The published table: code to reason phrase. */
export function loadReasonPhrases(): ReadonlyMap<number, string> {
  const { phrases } = readJson(reasonPhrasesPath()) as { phrases: Record<string, string> };
  return new Map(Object.entries(phrases).map(([code, phrase]) => [Number(code), phrase]));
}
