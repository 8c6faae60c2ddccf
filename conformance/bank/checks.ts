import { readFile, writeFile } from "node:fs/promises";
import path from "node:path";
import { setTimeout } from "node:timers/promises";
import fc from "fast-check";
import { accountFileText, balanceChange, bank, credentials, operationRequest, type Operation } from "../../spec/bank/index.js";
import { converse, everyRun, onePerServer, withFreshServer, type RuleCheck } from "../check.js";
import { workFolder } from "../target.js";
import { crashDurable, crashRuns } from "./crash.js";
import { describeValue } from "../describe.js";
import { fuzzSurvive } from "./fuzz.js";
import { bankModelCommands, runBankModel } from "./model.js";
import { BankSession, bankProperty, rightCredentials, text } from "./session.js";
import { loopbackAddress } from "../../transport/address.js";

const { improperFormat, challenge, throttled } = bank.wireTexts;
const { maxWrongCredentials } = bank.limits;
const { username, pin, dataFile } = bank.defaults;

const operation = fc.constantFrom<Operation>("deposit", "withdraw");
/** Amounts as sent, without leading zeros: echoing those is BANK-AMOUNT-ECHO's to judge. */
const amount = fc.bigInt({ min: 1n, max: 10n ** 6n }).map(String);
const hugeAmount = fc.bigInt({ min: 10n ** 18n, max: 10n ** 30n }).map(String);
const wrongCredentials = fc
  .oneof(
    fc.constant(credentials(username, "0000")),
    fc.constant(credentials("mallory", pin)),
    fc.string({ minLength: 1, maxLength: 8 }).map((guess) => credentials(username, guess)),
  )
  .filter((answer) => answer !== rightCredentials);
/** Not one or more ASCII digits. */
const malformedAmount = fc.constantFrom("", "-5", "+5", " 5", "5 ", "5a", "abc", "5.0", "1e3", "٣", "５", "0x10");
/** A datagram that starts with no command letter. */
const unknownCommand = fc.string({ minLength: 1, maxLength: 12 }).filter((t) => !["b", "d", "w"].includes(t[0]!));

// Wrong credentials, so that a server whose challenge never expires denies them and keeps its balance.
const lateCredentials = credentials(username, `${pin}x`);

const expiredChallenge = bankProperty(fc.tuple(operation, amount), async (session, [op, sent], _server, ctx) => {
  const { challengeTimeoutMs } = ctx.spec.limits;
  const s1 = await session.socket();
  const before = await session.balance(s1);
  await session.expect(s1, operationRequest(op, sent), challenge);
  // Waiting out the timeout is what this rule is about; there is no event to await instead.
  ctx.waiting?.(`waiting out the ${challengeTimeoutMs / 1000} s challenge timeout`, challengeTimeoutMs);
  session.letChallengeExpire(s1);
  await setTimeout(challengeTimeoutMs + ctx.timeouts.settleMs);
  await session.expect(s1, lateCredentials, improperFormat, ` (the challenge expired ${ctx.timeouts.settleMs} ms before: credentials are no request)`);
  await session.expectBalance(s1, before, " after the expired challenge");
});

export const bankChecks: RuleCheck[] = [
  {
    id: "BANK-BALANCE",
    runs: onePerServer,
    property: bankProperty(fc.constant(null), async (session) => {
      await session.balance(await session.socket());
    }),
  },
  {
    id: "BANK-CHALLENGE",
    runs: onePerServer,
    // Answered with wrong credentials, so that a shared server's balance is left as it was.
    property: bankProperty(fc.tuple(operation, amount), async (session, [op, sent]) => {
      await session.expectDenied(await session.socket(), op, sent, credentials(username, `${pin}x`));
    }),
  },
  {
    id: "BANK-WRONG-CREDENTIALS",
    runs: onePerServer,
    property: bankProperty(fc.tuple(operation, amount, wrongCredentials), async (session, [op, sent, answer]) => {
      const s1 = await session.socket();
      const before = await session.balance(s1);
      await session.expectDenied(s1, op, sent, answer);
      await session.expectBalance(s1, before, " after wrong credentials");
    }),
  },
  {
    id: "BANK-EMPTY-DATAGRAM",
    runs: onePerServer,
    property: bankProperty(fc.constant(null), async (session) => {
      await session.expect(await session.socket(), "", improperFormat);
    }),
  },
  {
    id: "BANK-DEPOSIT",
    runs: onePerServer,
    property: bankProperty(fc.array(amount, { minLength: 1, maxLength: 3 }), async (session, amounts) => {
      const s1 = await session.socket();
      let balance = 0n;
      for (const sent of amounts) await session.expectApplied(s1, "deposit", sent, (balance += balanceChange("deposit", sent)));
      await session.expectBalance(s1, balance);
    }),
  },
  {
    id: "BANK-WITHDRAW",
    runs: onePerServer,
    property: bankProperty(fc.array(amount, { minLength: 1, maxLength: 3 }), async (session, amounts) => {
      const s1 = await session.socket();
      let balance = 0n;
      for (const sent of amounts) await session.expectApplied(s1, "withdraw", sent, (balance += balanceChange("withdraw", sent)), " (below zero is allowed)");
      await session.expectBalance(s1, balance);
    }),
  },
  {
    id: "BANK-AMOUNT-ECHO",
    runs: onePerServer,
    property: bankProperty(fc.tuple(operation, fc.integer({ min: 1, max: 5 }), fc.bigInt({ min: 0n, max: 999n })), async (session, [op, zeros, n]) => {
      const sent = "0".repeat(zeros) + n;
      await session.expectApplied(await session.socket(), op, sent, balanceChange(op, sent));
    }),
  },
  {
    id: "BANK-EXACT-BALANCE",
    runs: onePerServer,
    property: bankProperty(fc.array(fc.tuple(operation, hugeAmount), { minLength: 2, maxLength: 4 }), async (session, steps) => {
      const s1 = await session.socket();
      let balance = 0n;
      for (const [op, sent] of steps) await session.expectApplied(s1, op, sent, (balance += balanceChange(op, sent)));
      await session.expectBalance(s1, balance);
    }),
  },
  {
    id: "BANK-MODEL",
    runs: onePerServer,
    property: (ctx, checkSession) =>
      fc.asyncProperty(bankModelCommands(), (commands) => withFreshServer(ctx.target, (server) => runBankModel(server, ctx, commands, checkSession))),
  },
  {
    id: "BANK-UNKNOWN-COMMAND",
    runs: onePerServer,
    property: bankProperty(unknownCommand, async (session, datagram) => {
      const s1 = await session.socket();
      await session.expect(s1, datagram, improperFormat);
      await session.expectBalance(s1, 0n, " from a server still serving");
    }),
  },
  {
    id: "BANK-AMOUNT-MALFORMED",
    runs: onePerServer,
    property: bankProperty(fc.tuple(operation, malformedAmount), async (session, [op, sent]) => {
      const s1 = await session.socket();
      await session.expect(s1, operationRequest(op, sent), improperFormat, " and no challenge");
      await session.expectBalance(s1, 0n, " from a server still serving, the balance unchanged");
    }),
  },
  {
    id: "BANK-CREDENTIALS-MISSING",
    runs: onePerServer,
    property: bankProperty(
      fc.tuple(operation, amount, fc.constantFrom("", " ", `u${username}`, `p${pin}`, `u${username}${pin}`)),
      async (session, [op, sent, answer]) => {
        const s1 = await session.socket();
        await session.expectDenied(s1, op, sent, answer, " for credentials with fewer than two words");
        await session.expectBalance(s1, 0n, " from a server still serving");
      },
    ),
  },
  {
    id: "BANK-CHALLENGE-REQUESTER",
    runs: onePerServer,
    property: bankProperty(fc.tuple(operation, amount), async (session, [op, sent]) => {
      const [s1, s2] = [await session.socket(), await session.socket()];
      await session.balance(s1); // s1 is the first client the server ever sees
      await session.expectApplied(s2, op, sent, balanceChange(op, sent), ` for ${s2.label}, which asked`);
    }),
  },
  {
    id: "BANK-CHALLENGE-SAME-ADDRESS",
    runs: onePerServer,
    property: bankProperty(fc.tuple(operation, amount), async (session, [op, sent]) => {
      const [s1, s2] = [await session.socket(), await session.socket()];
      await session.expect(s1, operationRequest(op, sent), challenge);
      await session.expectBalance(s2, 0n, ` for ${s2.label} while ${s1.label}'s challenge is pending`);
      const said = text(await session.request(s1, rightCredentials));
      const expected = balanceChange(op, sent);
      await session.expectBalance(s1, expected, ` after ${s1.label} answered its challenge (it said ${describeValue(said)})`);
    }),
  },
  {
    id: "BANK-CHALLENGE-TIMEOUT",
    // Each run waits the whole timeout (30 s by the spec): one shows it, more only cost time.
    runs: () => 1,
    waitsMs: (limits) => limits.challengeTimeoutMs!,
    property: expiredChallenge,
  },
  {
    id: "BANK-THROTTLE",
    runs: onePerServer,
    property: bankProperty(
      fc.tuple(operation, amount, fc.array(wrongCredentials, { minLength: maxWrongCredentials, maxLength: maxWrongCredentials })),
      async (session, [op, sent, guesses], server) => {
        // Each guess from a port of its own: changing source port must gain a guesser nothing.
        for (const [n, guess] of guesses.entries()) await session.expectDenied(await session.socket(`g${n + 1}`), op, sent, guess);
        const next = await session.socket(`g${guesses.length + 1}`);
        await session.expect(
          next,
          operationRequest(op, sent),
          throttled,
          ` after ${guesses.length} wrong answers from as many ports of ${next.label}'s IP address`,
        );
        // Another IP address is served as usual: on IPv4 loopback, 127.0.0.2 (IPv6 has one loopback address only).
        const otherAddress = loopbackAddress(server.host, 1);
        if (otherAddress !== undefined) {
          const other = await session.socket("o1", otherAddress);
          await session.expectDenied(other, op, sent, guesses[0]!, ` from ${other.label} (${otherAddress}), which guessed nothing`);
        }
      },
    ),
  },
  {
    id: "BANK-PERSIST-RESTART",
    runs: onePerServer,
    property: (ctx, checkSession) =>
      fc.asyncProperty(fc.tuple(operation, amount), ([op, sent]) =>
        inFolder(async (workdir) => {
          const expected = balanceChange(op, sent);
          await withFreshServer(
            ctx.target,
            (server) =>
              converse(new BankSession(server, ctx, checkSession), async (session) => session.expectApplied(await session.socket(), op, sent, expected)),
            { workdir },
          );
          await withFreshServer(
            ctx.target,
            (server) =>
              converse(new BankSession(server, ctx, checkSession), async (session) =>
                session.expectBalance(await session.socket(), expected, " after a restart in the same folder"),
              ),
            { workdir },
          );
        }),
      ),
  },
  {
    id: "BANK-FILE-FORMAT",
    runs: onePerServer,
    property: bankProperty(fc.tuple(operation, amount), async (session, [op, sent], server) => {
      const expected = balanceChange(op, sent);
      await session.expectApplied(await session.socket(), op, sent, expected);
      const file = path.join(server.workdir!, dataFile);
      const content = await readFile(file, "utf8").catch((error: Error) => `(unreadable: ${error.message})`);
      if (content !== accountFileText(expected, username, pin))
        session.fail(`${dataFile} to hold ${JSON.stringify(accountFileText(expected, username, pin))}`, describeValue(content));
    }),
  },
  {
    id: "BANK-LOAD-EXISTING",
    runs: onePerServer,
    property: (ctx, checkSession) =>
      fc.asyncProperty(fc.bigInt({ min: -(10n ** 20n), max: 10n ** 20n }), (balance) =>
        inFolder(async (workdir) => {
          await writeFile(path.join(workdir, dataFile), accountFileText(balance, username, pin));
          await withFreshServer(
            ctx.target,
            (server) =>
              converse(new BankSession(server, ctx, checkSession), async (session) =>
                session.expectBalance(await session.socket(), balance, ` from a server started on a ${dataFile} that says so`),
              ),
            { workdir },
          );
        }),
      ),
  },
  {
    id: "BANK-FUZZ-SURVIVE",
    runs: everyRun,
    property: fuzzSurvive,
  },
  {
    id: "BANK-CRASH-DURABLE",
    runs: crashRuns,
    property: crashDurable,
  },
];

/** Runs with a temporary folder of the check's own, for servers started (and restarted) in it. */
async function inFolder(run: (workdir: string) => Promise<void>): Promise<void> {
  const folder = await workFolder({});
  try {
    await run(folder.path);
  } finally {
    await folder.release();
  }
}
