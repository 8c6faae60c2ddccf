import path from "node:path";
import { protocolsDir, readJson } from "../../../kit/serve.js";

/** protocols/capitalizer/spec/uppercase.json: full upper-case mappings under each Unicode version the spec accepts. */
export interface UppercaseTable {
  $comment: string;
  /** The accepted Unicode versions, oldest first. */
  versions: string[];
  /** Code point (hex) to its full upper-case mapping, the same under every accepted version (identity left out). */
  common: Record<string, string>;
  /** Code point (hex) to its mapping under each version, where the versions do not all agree. */
  differs: Record<string, Record<string, string>>;
}

export const uppercaseTablePath = () => path.join(protocolsDir, "capitalizer", "spec", "uppercase.json");

let loaded: UppercaseTable | undefined;
/** The published table, read once. */
export function uppercaseTable(): UppercaseTable {
  return (loaded ??= readJson(uppercaseTablePath()) as UppercaseTable);
}

const isAscii = (text: string) => /^[\0-\x7f]*$/.test(text);

/**
 * Upper-cases text by Unicode full case mapping (UnicodeData plus the unconditional SpecialCasing entries,
 * so `ß` becomes `SS`) as a given accepted Unicode version defines it, by default the newest: from the
 * spec's table, never from the Unicode tables of the Node.js that runs it.
 */
export function upperCase(text: string, version = uppercaseTable().versions.at(-1)!): string {
  if (isAscii(text)) return text.toUpperCase(); // ASCII case mapping is the same in every version
  const { common, differs } = uppercaseTable();
  let upper = "";
  for (const char of text) {
    const key = char.codePointAt(0)!.toString(16).toUpperCase().padStart(4, "0");
    upper += differs[key]?.[version] ?? common[key] ?? char;
  }
  return upper;
}

/** Every upper-casing of text that some accepted Unicode version gives, without repeats. */
export function acceptedUpperCases(text: string): string[] {
  return [...new Set(uppercaseTable().versions.map((version) => upperCase(text, version)))];
}

/** The code points whose upper-case mapping differs between accepted Unicode versions. */
export function versionDependentCodePoints(): number[] {
  return Object.keys(uppercaseTable().differs).map((key) => parseInt(key, 16));
}
