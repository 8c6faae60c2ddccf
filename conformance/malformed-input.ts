import fc from "fast-check";

/** Byte sequences that are never valid UTF-8 wherever they stand. */
export const invalidUtf8Pieces: readonly number[][] = [
  [0x80], // lone continuation byte
  [0xbf],
  [0xc0, 0x80], // overlong NUL
  [0xc1, 0xbf],
  [0xe0, 0x80, 0x80], // overlong
  [0xed, 0xa0, 0x80], // UTF-16 surrogate
  [0xf4, 0x90, 0x80, 0x80], // above U+10FFFF
  [0xf5, 0x80, 0x80, 0x80],
  [0xfe],
  [0xff],
  [0xc3], // truncated 2-byte sequence
  [0xe2, 0x82], // truncated 3-byte sequence
  [0xf0, 0x9f, 0x98], // truncated 4-byte sequence
];

/** The first bytes of multi-byte characters, cut short: what a client that stops mid-write leaves. */
export const truncatedCharacters: readonly number[][] = [[0xc3], [0xe2, 0x82], [0xf0, 0x9f, 0x98]];

/** Valid text around one invalid piece: bytes that are not UTF-8. */
export function invalidUtf8(maxBytes: number): fc.Arbitrary<Uint8Array> {
  const ascii = fc.string({ maxLength: 40 });
  return fc
    .tuple(ascii, fc.constantFrom(...invalidUtf8Pieces), ascii)
    .map(([before, piece, after]) => Buffer.concat([Buffer.from(before), Buffer.from(piece), Buffer.from(after)]))
    .filter((bytes) => bytes.length <= maxBytes)
    .map((bytes) => new Uint8Array(bytes));
}

/** Text with NUL bytes in it. */
export const withNul: fc.Arbitrary<string> = fc
  .tuple(fc.string({ maxLength: 12 }), fc.string({ maxLength: 12 }))
  .map(([before, after]) => `${before}\0${after}`);

/** Any bytes at all. */
export const randomBytes: fc.Arbitrary<Uint8Array> = fc.uint8Array({ minLength: 1, maxLength: 64 });

/** `length` bytes of `fill`, built only when a run needs them, so that shrinking stays cheap to print. */
export function filled(length: fc.Arbitrary<number>, fill: fc.Arbitrary<string>): fc.Arbitrary<Uint8Array> {
  return fc.tuple(length, fill).map(([n, f]) => new Uint8Array(Buffer.alloc(n, f)));
}

/** The bytes of a text or byte input. */
export const bytesOf = (input: string | Uint8Array): Buffer => (typeof input === "string" ? Buffer.from(input, "utf8") : Buffer.from(input));
