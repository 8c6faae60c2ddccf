import { fc, malformedInput, type RuleCheck } from "../../../kit/index.js";
import { balanceRequest, operationRequest } from "../spec/index.js";
import type { BankRuleId } from "../spec/rule-ids.js";
import { fuzzSurvive } from "./fuzz.js";
import { check, rightCredentials } from "./session.js";
import { amount, commandLetters, improperFormat, maxDatagramBytes, operation } from "./shared.js";

/** Not one or more ASCII digits. */
const malformedAmounts = ["", "-5", "+5", " 5", "5 ", "5\n", "50\r\n", "5\t", "5a", "abc", "5.0", "1e3", "5_0", "٣", "５", "0x10"];

const unknownCommand = fc.string({ minLength: 1, maxLength: 12 }).filter((t) => !commandLetters.some((letter) => t.startsWith(letter)));

/** Datagrams that are no request: empty, unknown, malformed, oversized, invalid UTF-8, and fuzz. */
export const malformedInputChecks: Array<RuleCheck<BankRuleId>> = [
  check({
    id: "BANK-EMPTY-DATAGRAM",
    servers: "fresh",
    inputs: fc.constant(null),
    run: async (session) => {
      await session.expect(await session.socket(), "", improperFormat);
    },
  }),
  check({
    id: "BANK-UNKNOWN-COMMAND",
    servers: "fresh",
    inputs: unknownCommand,
    run: async (session, datagram) => {
      const s1 = await session.socket();
      await session.expect(s1, datagram, improperFormat);
      await session.expectBalance(s1, 0n, " from a server still serving");
    },
  }),
  check({
    id: "BANK-AMOUNT-MALFORMED",
    // Every form in each run, in an order of its own: a few runs cannot leave one out.
    servers: "fresh",
    inputs: fc.tuple(operation, fc.shuffledSubarray(malformedAmounts, { minLength: malformedAmounts.length })),
    run: async (session, [op, amounts]) => {
      const s1 = await session.socket();
      for (const sent of amounts) await session.expect(s1, operationRequest(op, sent), improperFormat, " and no challenge");
      await session.expectBalance(s1, 0n, " from a server still serving, the balance unchanged");
    },
  }),
  check({
    id: "BANK-DATAGRAM-OVERSIZED",
    servers: "fresh",
    inputs: fc.tuple(operation, amount, fc.integer({ min: 1, max: 64 })),
    run: async (session, [op, sent, over]) => {
      const s1 = await session.socket();
      const before = await session.balance(s1);
      const size = maxDatagramBytes + over;
      const padded = (start: string, pad: string) => start + pad.repeat(size - Buffer.byteLength(start));
      // Requests whose first maxDatagramBytes bytes would be served, were the rest cut off.
      await session.expect(s1, padded(operationRequest(op, sent), "0"), improperFormat, ` for a request of ${size} bytes`);
      await session.expect(s1, padded(balanceRequest, " "), improperFormat, ` for a balance request of ${size} bytes`);
      // The right credentials, then spaces: the first maxDatagramBytes bytes would be right.
      await session.expectDenied(s1, op, sent, padded(rightCredentials, " "), ` for credentials of ${size} bytes`);
      await session.expectBalance(s1, before, " after oversized datagrams");
    },
  }),
  check({
    id: "BANK-UTF8-INVALID",
    servers: "fresh",
    inputs: fc.tuple(operation, amount, fc.constantFrom(...malformedInput.invalidUtf8Pieces)),
    run: async (session, [op, sent, piece]) => {
      const s1 = await session.socket();
      const before = await session.balance(s1);
      const invalid = Buffer.from(piece);
      const after = (start: string) => Buffer.concat([Buffer.from(start), invalid]);
      await session.expect(s1, invalid, improperFormat, " for a datagram that is not UTF-8");
      await session.expect(s1, after(balanceRequest), improperFormat, ` for ${balanceRequest} and bytes that are not UTF-8`);
      await session.expect(s1, after(operationRequest(op, sent)), improperFormat, " for a request ending in bytes that are not UTF-8");
      await session.expectDenied(s1, op, sent, after(`${rightCredentials} `), " for the right credentials, then bytes that are not UTF-8");
      await session.expectBalance(s1, before, " after datagrams that are not UTF-8");
    },
  }),
  fuzzSurvive,
];
