import { fc, malformedInput } from "../../../kit/index.js";
import type { CapitalizerSpec } from "../spec/index.js";
import { versionDependentCodePoints } from "../spec/uppercase.js";

const utf8Length = (text: string) => Buffer.byteLength(text, "utf8");

/**
 * Characters for sentences: ASCII, Latin, Greek, Cyrillic, the Latin ligatures (`ﬁ` -> `FI`), `ß`,
 * uncased CJK and emoji, whitespace, and the characters whose upper-casing differs between the Unicode
 * versions the spec accepts (a reply right under any of them passes).
 */
export const sentenceChar: fc.Arbitrary<string> = fc.oneof(
  { arbitrary: fc.integer({ min: 0x20, max: 0x7e }).map((c) => String.fromCodePoint(c)), weight: 6 },
  fc.integer({ min: 0xa0, max: 0x24f }).map((c) => String.fromCodePoint(c)),
  fc.integer({ min: 0x391, max: 0x3c9 }).map((c) => String.fromCodePoint(c)),
  fc.integer({ min: 0x400, max: 0x45f }).map((c) => String.fromCodePoint(c)),
  fc.constantFrom("ß", "ﬁ", "ﬂ", "ﬀ", "ŉ", "ǰ", "ΐ", "\n", "\t", "中", "文", "😀", "🎉"),
  fc.constantFrom(...versionDependentCodePoints()).map((c) => String.fromCodePoint(c)),
);

/** A sentence: 1 to maxSentenceBytes bytes of UTF-8, and not the shutdown request. */
export function sentence(spec: CapitalizerSpec, maxChars = 80): fc.Arbitrary<string> {
  return fc
    .string({ unit: sentenceChar, minLength: 1, maxLength: maxChars })
    .filter((text) => utf8Length(text) <= spec.limits.maxSentenceBytes && text !== spec.wireTexts.shutdownRequest);
}

/**
 * Sentences that test the framing: lines joined by newlines (a line-based server splits them) and
 * lengths up to exactly maxSentenceBytes bytes (a server with a smaller buffer splits those). ASCII only,
 * so that upper-casing, which other rules judge, cannot make the reply differ.
 */
export function framedSentence(spec: CapitalizerSpec): fc.Arbitrary<string> {
  const max = spec.limits.maxSentenceBytes;
  const withNewlines = fc.array(fc.string({ maxLength: 20 }), { minLength: 2, maxLength: 6 }).map((lines) => lines.join("\n"));
  const long = fc.integer({ min: 1, max }).chain((bytes) => fc.constantFrom("a", "b", " ", "\n").map((c) => c.repeat(bytes)));
  return fc.oneof(withNewlines, long).filter((text) => utf8Length(text) >= 1 && utf8Length(text) <= max && text !== spec.wireTexts.shutdownRequest);
}

/** One write that is not valid UTF-8: valid text around an invalid piece. */
export function invalidUtf8(spec: CapitalizerSpec): fc.Arbitrary<Uint8Array> {
  return malformedInput.invalidUtf8(spec.limits.maxSentenceBytes);
}
