// What the bank checks share: the spec's values they use, arbitraries and helpers.
import { fc } from "../../../kit/index.js";
import { balanceRequest, bank, credentials, operationLetter, type Operation } from "../spec/index.js";
import { rightCredentials } from "./session.js";

export const { improperFormat, challenge, throttled } = bank.wireTexts;
export const { maxWrongCredentials, maxDatagramBytes } = bank.limits;
export const { username, pin, dataFile } = bank.defaults;

export const operation = fc.constantFrom<Operation>("deposit", "withdraw");
/** Amounts as sent, without leading zeros: echoing those is BANK-AMOUNT-ECHO's to judge. */
export const amount = fc.bigInt({ min: 1n, max: 10n ** 6n }).map(String);
export const wrongCredentials = fc
  .oneof(
    fc.constant(credentials(username, "0000")),
    fc.constant(credentials("mallory", pin)),
    fc.string({ minLength: 1, maxLength: 8 }).map((guess) => credentials(username, guess)),
  )
  .filter((answer) => answer !== rightCredentials);

/** ASCII whitespace, which separates the words of credentials (BANK-CREDENTIALS-WORDS). */
export const separator = (minLength: number) => fc.string({ unit: fc.constantFrom(" ", "\t", "\n", "\v", "\f", "\r"), minLength, maxLength: 3 });
/** Any code point but whitespace (Python's str.split() also splits at \x1c-\x1f, and a server MAY at any Unicode whitespace). */
export const wordCharacter = fc
  .integer({ min: 0x21, max: 0x10ffff })
  .filter((cp) => cp < 0xd800 || cp > 0xdfff)
  .map((cp) => String.fromCodePoint(cp))
  .filter((c) => !/[\s\x1c-\x1f\x85]/u.test(c));
/** The first character of a word of credentials, unchecked: the usual letter or any other. */
export const unchecked = fc.oneof(fc.constantFrom("u", "p", "x", "U", "0"), wordCharacter);
/** One word of credentials for `value` (the username or the PIN): right, or wrong in one of the ways a server may miss. */
export const credentialWord = (value: string) =>
  fc.oneof(
    unchecked.map((first) => ({ word: first + value, right: true })),
    fc.constant({ word: value, right: false }), // no first character to drop: read as value less its first
    fc.tuple(unchecked, fc.constantFrom("x", " ", "0", value)).map(([first, more]) => ({ word: first + value + more.trim(), right: more.trim() === "" })),
    fc
      .tuple(unchecked, fc.constantFrom(value.slice(1), value.toUpperCase(), `${value.slice(0, -1)}x`))
      .map(([first, other]) => ({ word: first + other, right: other === value })),
  );

/** A datagram that starts with no command letter. */
export const commandLetters = [balanceRequest, operationLetter("deposit"), operationLetter("withdraw")];

// Wrong credentials, so that a server whose challenge never expires denies them and keeps its balance.
export const lateCredentials = credentials(username, `${pin}x`);

/**
 * How far apart the wrong answers of BANK-THROTTLE-WINDOW's chain are, as a fraction of the window: each well
 * within the window of the one before, however slow the machine, and the whole chain past it.
 */
export const CHAIN_GAP = 0.3;

/** How long BANK-THROTTLE-WINDOW waits in all: a quiet window, then its chain of wrong answers. */
export const throttleWindowWaitMs = (windowMs: number) => Math.round(windowMs * (1 + CHAIN_GAP * (maxWrongCredentials - 1)));
