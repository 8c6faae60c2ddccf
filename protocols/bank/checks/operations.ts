import { fc, type RuleCheck } from "../../../kit/index.js";
import { appliedReply, balanceChange, balanceReply, parseApplied } from "../spec/index.js";
import type { BankRuleId } from "../spec/rule-ids.js";
import { bankModelCommands, runBankModel } from "./model.js";
import { check, rightCredentials, text } from "./session.js";
import { amount, operation } from "./shared.js";

const hugeAmount = fc.bigInt({ min: 10n ** 18n, max: 10n ** 30n }).map(String);

/** What may follow `b` in a balance request: anything (BANK-BALANCE-ANY-SUFFIX), within a datagram's bytes. */
const balanceSuffix = fc.oneof(
  fc.constantFrom("\n", "\r\n", " ", "x", "xyz", "b", "alance", "5", " 5", "d5", "\0"),
  fc.string({ unit: "grapheme", minLength: 1, maxLength: 16 }),
);

/** The operations: the balance, deposits and withdrawals, against a model of the account. */
export const operationChecks: Array<RuleCheck<BankRuleId>> = [
  check({
    id: "BANK-BALANCE",
    servers: "fresh",
    inputs: fc.constant(null),
    run: async (session) => {
      await session.balance(await session.socket());
    },
  }),
  check({
    id: "BANK-BALANCE-ANY-SUFFIX",
    servers: "fresh",
    inputs: fc.array(balanceSuffix, { minLength: 1, maxLength: 8 }),
    run: async (session, suffixes) => {
      const s1 = await session.socket();
      const before = await session.balance(s1);
      for (const suffix of suffixes) await session.expect(s1, `b${suffix}`, balanceReply(before), " (a datagram that starts with b asks for the balance)");
    },
  }),
  check({
    id: "BANK-DEPOSIT",
    servers: "fresh",
    inputs: fc.array(amount, { minLength: 1, maxLength: 3 }),
    run: async (session, amounts) => {
      const s1 = await session.socket();
      let balance = 0n;
      for (const sent of amounts) await session.expectApplied(s1, "deposit", sent, (balance += balanceChange("deposit", sent)));
      await session.expectBalance(s1, balance);
    },
  }),
  check({
    id: "BANK-WITHDRAW",
    servers: "fresh",
    inputs: fc.array(amount, { minLength: 1, maxLength: 3 }),
    run: async (session, amounts) => {
      const s1 = await session.socket();
      let balance = 0n;
      for (const sent of amounts) await session.expectApplied(s1, "withdraw", sent, (balance += balanceChange("withdraw", sent)), " (below zero is allowed)");
      await session.expectBalance(s1, balance);
    },
  }),
  check({
    id: "BANK-AMOUNT-ECHO",
    // Amounts of zero are BANK-AMOUNT-ZERO's.
    servers: "fresh",
    inputs: fc.tuple(operation, fc.integer({ min: 1, max: 5 }), fc.bigInt({ min: 1n, max: 999n })),
    run: async (session, [op, zeros, n]) => {
      const sent = "0".repeat(zeros) + n;
      await session.expectApplied(await session.socket(), op, sent, balanceChange(op, sent));
    },
  }),
  check({
    id: "BANK-AMOUNT-ZERO",
    servers: "fresh",
    inputs: fc.tuple(operation, amount, fc.array(fc.tuple(operation, fc.integer({ min: 1, max: 5 })), { minLength: 1, maxLength: 3 })),
    run: async (session, [op, sent, zeros]) => {
      const s1 = await session.socket();
      // A balance away from zero first, so that a zero read as any other amount shows.
      const balance = balanceChange(op, sent);
      await session.expectApplied(s1, op, sent, balance);
      for (const [zeroOp, digits] of zeros) {
        const sent = "0".repeat(digits);
        // The amount's echo, leading zeros included, is BANK-AMOUNT-ECHO's to judge: here any echo of zero will do.
        const said = await session.operate(s1, zeroOp, sent, rightCredentials);
        const applied = parseApplied(text(said) ?? "");
        if (applied?.operation !== zeroOp || !/^0+$/.test(applied.amount) || applied.balance !== balance)
          session.fail(`${JSON.stringify(appliedReply(zeroOp, sent, balance))}: an amount of zero applied, the balance unchanged`, said);
      }
    },
  }),
  check({
    id: "BANK-EXACT-BALANCE",
    servers: "fresh",
    inputs: fc.array(fc.tuple(operation, hugeAmount), { minLength: 2, maxLength: 4 }),
    run: async (session, steps) => {
      const s1 = await session.socket();
      let balance = 0n;
      for (const [op, sent] of steps) await session.expectApplied(s1, op, sent, (balance += balanceChange(op, sent)));
      await session.expectBalance(s1, balance);
    },
  }),
  check({
    id: "BANK-MODEL",
    servers: "fresh",
    inputs: bankModelCommands(),
    run: (session, commands) => runBankModel(session, commands),
  }),
];
