import { mkdir, readFile, writeFile } from "node:fs/promises";
import path from "node:path";
import { setTimeout } from "node:timers/promises";
import fc from "fast-check";
import {
  accountFileText,
  balanceChange,
  balanceReply,
  balanceRequest,
  bank,
  credentials,
  operationLetter,
  operationRequest,
  parseApplied,
  type Operation,
} from "../spec/index.js";
import { checkRecorder, converse, everyRun, onePerServer, withFreshServer, type RuleCheck } from "../../../conformance/check.js";
import { failing } from "../../../conformance/conversation.js";
import { workFolder } from "../../../conformance/target.js";
import { invalidUtf8Pieces } from "../../../conformance/hostile.js";
import { crashDurable, crashRuns } from "./crash.js";
import { describeValue } from "../../../conformance/describe.js";
import { fuzzSurvive } from "./fuzz.js";
import { bankModelCommands, runBankModel } from "./model.js";
import { BankSession, bankProperty, rightCredentials, text } from "./session.js";
import { loopbackAddress } from "../../../transport/address.js";
import type { BankRuleId } from "../spec/rule-ids.js";

const { improperFormat, challenge, throttled } = bank.wireTexts;
const { maxWrongCredentials, maxDatagramBytes } = bank.limits;
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
/** The username with the start of the PIN (empty too). */
const pinPrefix = fc.nat(pin.length - 1).map((length) => credentials(username, pin.slice(0, length)));
/** Not one or more ASCII digits. */
const malformedAmount = fc.constantFrom("", "-5", "+5", " 5", "5 ", "5\n", "50\r\n", "5\t", "5a", "abc", "5.0", "1e3", "5_0", "٣", "５", "0x10");
/** What may follow `b` in a balance request: anything (BANK-BALANCE-ANY-SUFFIX), within a datagram's bytes. */
const balanceSuffix = fc.oneof(
  fc.constantFrom("\n", "\r\n", " ", "x", "xyz", "b", "alance", "5", " 5", "d5", "\0"),
  fc.string({ unit: "grapheme", minLength: 1, maxLength: 16 }),
);

/** ASCII whitespace, which separates the words of credentials (BANK-CREDENTIALS-WORDS). */
const separator = (minLength: number) => fc.string({ unit: fc.constantFrom(" ", "\t", "\n", "\v", "\f", "\r"), minLength, maxLength: 3 });
/** Any code point but whitespace (Python's str.split() also splits at \x1c-\x1f, and a server MAY at any Unicode whitespace). */
const wordCharacter = fc
  .integer({ min: 0x21, max: 0x10ffff })
  .filter((cp) => cp < 0xd800 || cp > 0xdfff)
  .map((cp) => String.fromCodePoint(cp))
  .filter((c) => !/[\s\x1c-\x1f\x85]/u.test(c));
/** The first character of a word of credentials, unchecked: the usual letter or any other. */
const unchecked = fc.oneof(fc.constantFrom("u", "p", "x", "U", "0"), wordCharacter);
/** One word of credentials for `value` (the username or the PIN): right, or wrong in one of the ways a server may miss. */
const credentialWord = (value: string) =>
  fc.oneof(
    unchecked.map((first) => ({ word: first + value, right: true })),
    fc.constant({ word: value, right: false }), // no first character to drop: read as value less its first
    fc.tuple(unchecked, fc.constantFrom("x", " ", "0", value)).map(([first, more]) => ({ word: first + value + more.trim(), right: more.trim() === "" })),
    fc
      .tuple(unchecked, fc.constantFrom(value.slice(1), value.toUpperCase(), `${value.slice(0, -1)}x`))
      .map(([first, other]) => ({ word: first + other, right: other === value })),
  );
/** An answer to a challenge: two words between ASCII whitespace, maybe more words, and whether it is right. */
const credentialsText = fc
  .tuple(
    separator(0),
    credentialWord(username),
    separator(1),
    credentialWord(pin),
    fc.array(fc.tuple(separator(1), fc.string({ unit: wordCharacter, minLength: 1, maxLength: 6 })), { maxLength: 2 }),
    separator(0),
  )
  .map(([lead, user, between, secret, extra, trail]) => ({
    text: lead + user.word + between + secret.word + extra.map(([sep, word]) => sep + word).join("") + trail,
    right: user.right && secret.right,
  }));

/** Another account's username and PIN, as a data file may hold them (never the built-in ones). */
const accountName = fc.stringMatching(/^[a-z][a-z0-9]{0,11}$/).filter((name) => name !== username);
const accountPin = fc.stringMatching(/^[0-9]{4,8}$/).filter((secret) => secret !== pin);
/** A data file that is no account file: BANK-FILE-MALFORMED's. */
const malformedAccountFile: fc.Arbitrary<Buffer | "a folder"> = fc.constantFrom(
  ...[
    "",
    "\n",
    `abc\n${username}\n${pin}\n`,
    `5\n${username}\n`,
    `5\n${username}\n${pin}`,
    `5\r\n${username}\r\n${pin}\r\n`,
    `5\n\n${pin}\n`,
    `5 \n${username}\n${pin}\n`,
    `5\n${username} x\n${pin}\n`,
    `5\n${username}\u00a0x\n${pin}\n`, // Unicode whitespace
    `5\n${username}\n${pin}\nextra\n`,
    `1.5\n${username}\n${pin}\n`,
    `+5\n${username}\n${pin}\n`,
  ].map((text) => Buffer.from(text)),
  Buffer.concat([Buffer.from(`5\n${username}`), Buffer.from([0xff]), Buffer.from(`\n${pin}\n`)]), // not UTF-8
  "a folder" as const, // there, but no file to read
);

/** A datagram that starts with no command letter. */
const commandLetters = [balanceRequest, operationLetter("deposit"), operationLetter("withdraw")];
const unknownCommand = fc.string({ minLength: 1, maxLength: 12 }).filter((t) => !commandLetters.some((letter) => t.startsWith(letter)));

/** Credentials of one word: either word of the right ones, or both run together. */
const oneWordCredentials = [...rightCredentials.split(" "), rightCredentials.replace(" ", "")];

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

/**
 * How far apart the wrong answers of BANK-THROTTLE-WINDOW's chain are, as a fraction of the window: each well
 * within the window of the one before, however slow the machine, and the whole chain past it.
 */
const CHAIN_GAP = 0.3;

/** How long BANK-THROTTLE-WINDOW waits in all: a quiet window, then its chain of wrong answers. */
const throttleWindowWaitMs = (windowMs: number) => Math.round(windowMs * (1 + CHAIN_GAP * (maxWrongCredentials - 1)));

const throttleWindow = bankProperty(fc.tuple(operation, amount, wrongCredentials), async (session, [op, sent, guess], _server, ctx) => {
  const { throttleWindowMs } = ctx.spec.limits;
  const gapMs = Math.round(throttleWindowMs * CHAIN_GAP);
  const s1 = await session.socket();
  // A server that does not throttle at all shows it at once, without the waits.
  for (let n = 1; n <= maxWrongCredentials; n++) await session.expectDenied(s1, op, sent, guess, ` (wrong answer ${n} in a row)`);
  await session.expect(s1, operationRequest(op, sent), throttled, ` after ${maxWrongCredentials} wrong answers in a row`);
  // Waiting out the window is what this rule is about; there is no event to await instead.
  const waitMs = throttleWindowWaitMs(throttleWindowMs);
  ctx.waiting?.(`waiting ${waitMs / 1000} s: the ${throttleWindowMs / 1000} s throttle window, then wrong answers ${gapMs / 1000} s apart`, waitMs);
  await setTimeout(throttleWindowMs + ctx.timeouts.settleMs);
  const quiet = ` ${throttleWindowMs + ctx.timeouts.settleMs} ms after the last wrong answer, past the ${throttleWindowMs} ms throttle window`;
  await session.expect(s1, operationRequest(op, sent), challenge, quiet);
  // What the right answer does to the balance is other rules' to judge; it resets nothing here.
  await session.request(s1, rightCredentials);
  for (let n = 1; n <= maxWrongCredentials; n++) {
    if (n > 1) await setTimeout(gapMs);
    await session.expectDenied(s1, op, sent, guess, ` (wrong answer ${n} of a chain ${gapMs} ms apart)`);
  }
  const span = gapMs * (maxWrongCredentials - 1);
  await session.expect(
    s1,
    operationRequest(op, sent),
    throttled,
    ` after ${maxWrongCredentials} wrong answers ${gapMs} ms apart (each within the ${throttleWindowMs} ms window of the one before, ${span} ms from first to last)`,
  );
});

export const bankChecks: Array<RuleCheck<BankRuleId>> = [
  {
    id: "BANK-BALANCE",
    runs: onePerServer,
    property: bankProperty(fc.constant(null), async (session) => {
      await session.balance(await session.socket());
    }),
  },
  {
    id: "BANK-BALANCE-ANY-SUFFIX",
    runs: onePerServer,
    property: bankProperty(fc.array(balanceSuffix, { minLength: 1, maxLength: 8 }), async (session, suffixes) => {
      const s1 = await session.socket();
      const before = await session.balance(s1);
      for (const suffix of suffixes) await session.expect(s1, `b${suffix}`, balanceReply(before), " (a datagram that starts with b asks for the balance)");
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
    // A PIN that only begins the right one, as a comparison that stops at the shorter text takes it, and another wrong answer.
    property: bankProperty(fc.tuple(operation, amount, pinPrefix, wrongCredentials), async (session, [op, sent, ...answers]) => {
      const s1 = await session.socket();
      const before = await session.balance(s1);
      for (const answer of answers) await session.expectDenied(s1, op, sent, answer);
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
    property: (ctx, ruleState) =>
      fc.asyncProperty(bankModelCommands(), (commands) => withFreshServer(ctx.target, (server) => runBankModel(server, ctx, commands, ruleState))),
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
    id: "BANK-DATAGRAM-OVERSIZED",
    runs: onePerServer,
    property: bankProperty(fc.tuple(operation, amount, fc.integer({ min: 1, max: 64 })), async (session, [op, sent, over]) => {
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
    }),
  },
  {
    id: "BANK-UTF8-INVALID",
    runs: onePerServer,
    property: bankProperty(fc.tuple(operation, amount, fc.constantFrom(...invalidUtf8Pieces)), async (session, [op, sent, piece]) => {
      const s1 = await session.socket();
      const before = await session.balance(s1);
      const invalid = Buffer.from(piece);
      const after = (start: string) => Buffer.concat([Buffer.from(start), invalid]);
      await session.expect(s1, invalid, improperFormat, " for a datagram that is not UTF-8");
      await session.expect(s1, after(balanceRequest), improperFormat, ` for ${balanceRequest} and bytes that are not UTF-8`);
      await session.expect(s1, after(operationRequest(op, sent)), improperFormat, " for a request ending in bytes that are not UTF-8");
      await session.expectDenied(s1, op, sent, after(`${rightCredentials} `), " for the right credentials, then bytes that are not UTF-8");
      await session.expectBalance(s1, before, " after datagrams that are not UTF-8");
    }),
  },
  {
    id: "BANK-CREDENTIALS-MISSING",
    runs: onePerServer,
    property: bankProperty(fc.tuple(operation, amount, fc.constantFrom("", " ", ...oneWordCredentials)), async (session, [op, sent, answer]) => {
      const s1 = await session.socket();
      await session.expectDenied(s1, op, sent, answer, " for credentials with fewer than two words");
      await session.expectBalance(s1, 0n, " from a server still serving");
    }),
  },
  {
    id: "BANK-CREDENTIALS-WORDS",
    runs: onePerServer,
    // Fewer wrong answers than the throttle allows.
    property: bankProperty(
      fc.array(fc.tuple(operation, amount, credentialsText), { minLength: 1, maxLength: maxWrongCredentials - 1 }),
      async (session, attempts) => {
        const s1 = await session.socket();
        let balance = await session.balance(s1);
        for (const [op, sent, answer] of attempts) {
          if (!answer.right) await session.expectDenied(s1, op, sent, answer.text, " (wrong credentials)");
          else {
            balance += balanceChange(op, sent);
            await session.expectApplied(s1, op, sent, balance, " (right credentials: the first two words, each less its first character)", answer.text);
          }
        }
        await session.expectBalance(s1, balance);
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
      fc.tuple(
        operation,
        amount,
        fc.array(wrongCredentials, { minLength: maxWrongCredentials, maxLength: maxWrongCredentials }),
        fc.nat(maxWrongCredentials - 2),
      ),
      async (session, [op, sent, guesses, rightAfter], server) => {
        // Each guess from a port of its own: changing source port must gain a guesser nothing.
        for (const [n, guess] of guesses.entries()) {
          await session.expectDenied(await session.socket(`g${n + 1}`), op, sent, guess);
          if (n !== rightAfter) continue;
          // Right answers between wrong ones reset nothing (a deposit and a withdrawal, which leave the balance as it was; no balance
          // request, which would make this address the last to ask it).
          const right = await session.socket("r1");
          const between = ` (right credentials after ${n + 1} wrong answers from its IP address)`;
          const said = await session.operate(right, "deposit", sent, rightCredentials);
          const deposited = parseApplied(text(said) ?? "");
          if (!deposited || deposited.operation !== "deposit" || deposited.amount !== sent)
            return session.fail(`the deposit of ${sent} applied${between}`, said);
          await session.expectApplied(right, "withdraw", sent, deposited.balance - balanceChange("deposit", sent), between);
        }
        const next = await session.socket(`g${guesses.length + 1}`);
        const after = ` after ${guesses.length} wrong answers from as many ports of ${next.label}'s IP address, and right ones between them`;
        await session.expect(next, operationRequest(op, sent), throttled, after);
        // Throttled, the address is still answered as usual where no credentials are needed.
        await session.expect(next, operationRequest(op, `${sent}x`), improperFormat, ` for a malformed request${after}`);
        // Another IP address is served as usual: on IPv4 loopback, 127.0.0.2 (IPv6 has one loopback address only).
        const otherAddress = loopbackAddress(server.host, 1);
        if (otherAddress !== undefined) {
          const other = await session.socket("o1", otherAddress);
          await session.expectDenied(other, op, sent, guesses[0]!, ` from ${other.label} (${otherAddress}), which guessed nothing`);
        }
        await session.balance(next, ` for a balance request${after}`);
      },
    ),
  },
  {
    id: "BANK-THROTTLE-WINDOW",
    // One run waits the window out twice over (two minutes by the spec): one shows it, more only cost time.
    runs: () => 1,
    waitsMs: (limits) => throttleWindowWaitMs(limits.throttleWindowMs!),
    property: throttleWindow,
  },
  {
    id: "BANK-PERSIST-RESTART",
    runs: onePerServer,
    property: (ctx, ruleState) =>
      fc.asyncProperty(fc.tuple(operation, amount), ([op, sent]) =>
        inFolder(async (workdir) => {
          const expected = balanceChange(op, sent);
          await withFreshServer(
            ctx.target,
            (server) => converse(new BankSession(server, ctx, ruleState), async (session) => session.expectApplied(await session.socket(), op, sent, expected)),
            { workdir },
          );
          await withFreshServer(
            ctx.target,
            (server) =>
              converse(new BankSession(server, ctx, ruleState), async (session) =>
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
    property: (ctx, ruleState) =>
      fc.asyncProperty(fc.bigInt({ min: -(10n ** 20n), max: 10n ** 20n }), (balance) =>
        inFolder(async (workdir) => {
          await writeFile(path.join(workdir, dataFile), accountFileText(balance, username, pin));
          await withFreshServer(
            ctx.target,
            (server) =>
              converse(new BankSession(server, ctx, ruleState), async (session) =>
                session.expectBalance(await session.socket(), balance, ` from a server started on a ${dataFile} that says so`),
              ),
            { workdir },
          );
        }),
      ),
  },
  {
    id: "BANK-LOAD-CREDENTIALS",
    runs: onePerServer,
    property: (ctx, ruleState) =>
      fc.asyncProperty(fc.tuple(accountName, accountPin, operation, amount), ([name, secret, op, sent]) =>
        inFolder(async (workdir) => {
          await writeFile(path.join(workdir, dataFile), accountFileText(0n, name, secret));
          await withFreshServer(
            ctx.target,
            (server) =>
              converse(new BankSession(server, ctx, ruleState), async (session) => {
                const s1 = await session.socket();
                const fromFile = ` for the ${dataFile} of user ${JSON.stringify(name)}, PIN ${JSON.stringify(secret)}`;
                await session.expectDenied(s1, op, sent, rightCredentials, `${fromFile}: the built-in credentials are no longer right`);
                await session.expectApplied(s1, op, sent, balanceChange(op, sent), `${fromFile}, answered with them`, credentials(name, secret));
              }),
            { workdir },
          );
        }),
      ),
  },
  {
    id: "BANK-FILE-MALFORMED",
    runs: onePerServer,
    property: (ctx, ruleState) =>
      fc.asyncProperty(malformedAccountFile, (content) =>
        inFolder(async (workdir) => {
          // A server that cannot start at all would refuse every file: it must first start on no file.
          const recorder = checkRecorder("bank");
          await withFreshServer(ctx.target, (server) =>
            converse(
              new BankSession(server, ctx, ruleState, recorder),
              async (s) => void (await s.balance(await s.socket(), " from a server started on no file")),
            ),
          );
          const file = path.join(workdir, dataFile);
          await (content === "a folder" ? mkdir(file) : writeFile(file, content));
          const started = await ctx.target.start({ workdir }).catch(() => undefined);
          await started?.stop();
          const holding = content === "a folder" ? `${dataFile} that is a folder` : `${dataFile} holding ${describeValue(content.toString())}`;
          const fail = failing(ctx.timeouts, recorder);
          if (started) fail(`the server to refuse to start on a ${holding}`, "it started");
          const after = await readFile(file).catch((error: NodeJS.ErrnoException) => error.code ?? "unreadable");
          const asItWas = content === "a folder" ? after === "EISDIR" : after instanceof Buffer && after.equals(content);
          if (!asItWas) fail(`the ${holding} left as it was`, `it held ${describeValue(after.toString())}`);
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
