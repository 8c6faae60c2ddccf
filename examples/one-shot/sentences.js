// @ts-check
// What both variants share: the sentences a client may send, and the reply each must get.
import { fc } from "sockspec/kit";

/** A sentence of 1 to maxBytes printable ASCII characters, as the textbook's clients read from the keyboard. */
export const sentences = (/** @type {number} */ maxBytes) =>
  fc.string({ unit: fc.integer({ min: 0x20, max: 0x7e }).map((code) => String.fromCharCode(code)), minLength: 1, maxLength: maxBytes });

/** The reply the protocol prescribes: the sentence with a to z upper-cased and every other character kept. */
export const upperAscii = (/** @type {string} */ sentence) => sentence.replace(/[a-z]/g, (letter) => letter.toUpperCase());
