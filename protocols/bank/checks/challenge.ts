import { fc, describeValue, loopbackAddress, NotCheckableError, type RuleCheck, TooSlowToJudgeError, type UdpClient } from "../../../kit/index.js";
import { setTimeout } from "node:timers/promises";
import { balanceChange, credentials, deniedReply, operationRequest, parseApplied } from "../spec/index.js";
import type { BankRuleId } from "../spec/rule-ids.js";
import { check, rightCredentials, text } from "./session.js";
import {
  amount,
  CHAIN_GAP,
  challenge,
  credentialWord,
  improperFormat,
  lateCredentials,
  maxWrongCredentials,
  operation,
  pin,
  separator,
  throttled,
  throttleWindowWaitMs,
  username,
  wordCharacter,
  wrongCredentials,
} from "./shared.js";

/** The earlier requester that got a challenge it did not ask for, if one did. */
async function challengedInstead(requesters: readonly UdpClient[]): Promise<UdpClient | undefined> {
  for (const socket of requesters) if ((await socket.takeUnread()).some((datagram) => datagram.toString("utf8") === challenge)) return socket;
  return undefined;
}

/** Two or three deposits and withdrawals from as many addresses, pending at once, and the order their challenges are answered in. */
// Amounts up to 1,000: larger ones onto a balance away from zero are BANK-DEPOSIT's and BANK-WITHDRAW's.
const pendingAtOnce = fc.array(fc.tuple(operation, fc.bigInt({ min: 1n, max: 1000n }).map(String)), { minLength: 2, maxLength: 3 }).chain((changes) =>
  fc.record({
    changes: fc.constant(changes),
    answerOrder: fc.shuffledSubarray([...changes.keys()], { minLength: changes.length, maxLength: changes.length }),
  }),
);

/** The username with the start of the PIN (empty too). */
const pinPrefix = fc.nat(pin.length - 1).map((length) => credentials(username, pin.slice(0, length)));

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

/** Credentials of one word: either word of the right ones, or both run together. */
const oneWordCredentials = [...rightCredentials.split(" "), rightCredentials.replace(" ", "")];

const expiredChallenge = check({
  id: "BANK-CHALLENGE-TIMEOUT",
  // Each run waits the whole timeout (30 s by the spec): one shows it, more only cost time.
  runs: "one",
  waitsMs: (limits) => limits.challengeTimeoutMs!,
  servers: "fresh",
  inputs: fc.tuple(operation, amount),
  run: async (session, [op, sent], _server, ctx) => {
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
  },
});

const throttleWindow = check({
  id: "BANK-THROTTLE-WINDOW",
  // One run waits the window out twice over (two minutes by the spec): one shows it, more only cost time.
  runs: "one",
  waitsMs: (limits) => throttleWindowWaitMs(limits.throttleWindowMs!),
  servers: "fresh",
  inputs: fc.tuple(operation, amount, wrongCredentials),
  run: async (session, [op, sent, guess], _server, ctx) => {
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
  },
});

/** A guesser's answer: the right username and a PIN of the right one's length, wrong (so never the start of it). */
const pinGuess = fc
  .integer({ min: 0, max: 10 ** pin.length - 1 })
  .map((n) => String(n).padStart(pin.length, "0"))
  .filter((guess) => guess !== pin)
  .map((guess) => credentials(username, guess));

/**
 * Challenges opened from as many ports before any is answered: maxWrongCredentials answered wrongly, then
 * one more wrongly and one rightly, both while throttled.
 */
const throttlePending = check({
  id: "BANK-THROTTLE-PENDING",
  servers: "fresh",
  inputs: fc.tuple(operation, amount, fc.array(pinGuess, { minLength: maxWrongCredentials + 1, maxLength: maxWrongCredentials + 1 })),
  run: async (session, [op, sent, guesses], _server, ctx) => {
    const { throttleWindowMs } = ctx.spec.limits;
    const first = await session.socket("p1");
    const before = await session.balance(first);
    const requesters: UdpClient[] = [];
    for (let n = 1; n <= maxWrongCredentials + 2; n++) {
      const socket = n === 1 ? first : await session.socket(`p${n}`);
      const answer = await session.request(socket, operationRequest(op, sent));
      if (text(answer) !== challenge) {
        const misdirectedTo = answer.kind === "silence" ? await challengedInstead(requesters) : undefined;
        if (misdirectedTo)
          throw new NotCheckableError(
            `the challenge for ${socket.label}'s request went to ${misdirectedTo.label} (BANK-CHALLENGE-REQUESTER): no challenges of several ports can be pending`,
          );
        session.fail(`${JSON.stringify(challenge)} on ${socket.label}, with ${n - 1} challenge(s) of other ports of its IP address pending`, answer);
      }
      requesters.push(socket);
    }
    const answering = performance.now();
    // A machine stalled past the window between the wrong answers and the last one ends the throttle before it is judged.
    const judge = (expected: string, said: Awaited<ReturnType<typeof session.request>>) => {
      const tookMs = Math.round(performance.now() - answering);
      if (tookMs >= throttleWindowMs / 2)
        throw new TooSlowToJudgeError(
          `the answers took ${tookMs} ms, too close to the ${throttleWindowMs} ms throttle window for the throttle to be sure to last`,
        );
      session.fail(expected, said);
    };
    for (const [n, guess] of guesses.slice(0, maxWrongCredentials).entries()) {
      const socket = requesters[n]!;
      const said = await session.request(socket, guess);
      if (text(said) === improperFormat)
        throw new NotCheckableError(
          `${socket.label}'s challenge was gone once other ports had asked (BANK-CHALLENGE-SAME-ADDRESS): no challenge opened beforehand is left to answer`,
        );
      if (text(said) !== deniedReply(op)) judge(`${JSON.stringify(deniedReply(op))} on ${socket.label} (wrong answer ${n + 1})`, said);
    }
    const meanwhile = ` to a challenge it got before its IP address gave ${maxWrongCredentials} wrong answers`;
    const [wrong, right] = requesters.slice(maxWrongCredentials);
    const saidToWrong = await session.request(wrong!, guesses[maxWrongCredentials]!);
    if (text(saidToWrong) !== throttled) judge(`${JSON.stringify(throttled)} for ${wrong!.label}'s wrong answer${meanwhile}`, saidToWrong);
    const saidToRight = await session.request(right!, rightCredentials);
    if (text(saidToRight) !== throttled) judge(`${JSON.stringify(throttled)} for ${right!.label}'s right answer${meanwhile}`, saidToRight);
    await session.expectBalance(first, before, ` after the answers${meanwhile}, refused`);
  },
});

/** The challenge for the username and PIN, its answers, its timeout and the throttle. */
export const challengeChecks: Array<RuleCheck<BankRuleId>> = [
  check({
    id: "BANK-CHALLENGE",
    // Answered with wrong credentials, so that a shared server's balance is left as it was.
    servers: "fresh",
    inputs: fc.tuple(operation, amount),
    run: async (session, [op, sent]) => {
      await session.expectDenied(await session.socket(), op, sent, credentials(username, `${pin}x`));
    },
  }),
  check({
    id: "BANK-WRONG-CREDENTIALS",
    // A PIN that only begins the right one, as a comparison that stops at the shorter text takes it, and another wrong answer.
    servers: "fresh",
    inputs: fc.tuple(operation, amount, pinPrefix, wrongCredentials),
    run: async (session, [op, sent, ...answers]) => {
      const s1 = await session.socket();
      const before = await session.balance(s1);
      for (const answer of answers) await session.expectDenied(s1, op, sent, answer);
      await session.expectBalance(s1, before, " after wrong credentials");
    },
  }),
  check({
    id: "BANK-CREDENTIALS-MISSING",
    servers: "fresh",
    inputs: fc.tuple(operation, amount, fc.constantFrom("", " ", ...oneWordCredentials)),
    run: async (session, [op, sent, answer]) => {
      const s1 = await session.socket();
      await session.expectDenied(s1, op, sent, answer, " for credentials with fewer than two words");
      await session.expectBalance(s1, 0n, " from a server still serving");
    },
  }),
  check({
    id: "BANK-CREDENTIALS-WORDS",
    // Fewer wrong answers than the throttle allows.
    servers: "fresh",
    inputs: fc.array(fc.tuple(operation, amount, credentialsText), { minLength: 1, maxLength: maxWrongCredentials - 1 }),
    run: async (session, attempts) => {
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
  }),
  check({
    id: "BANK-CHALLENGE-REQUESTER",
    servers: "fresh",
    inputs: fc.tuple(operation, amount),
    run: async (session, [op, sent]) => {
      const [s1, s2] = [await session.socket(), await session.socket()];
      await session.balance(s1); // s1 is the first client the server ever sees
      await session.expectApplied(s2, op, sent, balanceChange(op, sent), ` for ${s2.label}, which asked`);
    },
  }),
  check({
    id: "BANK-CHALLENGE-SAME-ADDRESS",
    servers: "fresh",
    inputs: pendingAtOnce,
    run: async (session, { changes, answerOrder }) => {
      const requesters: UdpClient[] = [];
      for (const [op, sent] of changes) {
        const socket = await session.socket();
        const pending = requesters.length > 0 ? ` while ${requesters.map((r) => r.label).join(" and ")}'s challenge is pending` : "";
        const answer = await session.request(socket, operationRequest(op, sent));
        if (text(answer) !== challenge) {
          const misdirectedTo = answer.kind === "silence" ? await challengedInstead(requesters) : undefined;
          if (misdirectedTo)
            throw new NotCheckableError(
              `the challenge for ${socket.label}'s request went to ${misdirectedTo.label} (BANK-CHALLENGE-REQUESTER): no second challenge can be pending`,
            );
          session.fail(`${JSON.stringify(challenge)} on ${socket.label}${pending}`, answer);
        }
        requesters.push(socket);
      }
      const observer = await session.socket();
      await session.expectBalance(observer, 0n, ` for ${observer.label} while ${changes.length} challenges are pending`);
      let balance = 0n;
      for (const [n, i] of answerOrder.entries()) {
        const [op, sent] = changes[i]!;
        const socket = requesters[i]!;
        const said = text(await session.request(socket, rightCredentials));
        balance += balanceChange(op, sent);
        const others = changes.length - n - 1;
        await session.expectBalance(
          observer,
          balance,
          ` after ${socket.label} answered its challenge${others > 0 ? `, ${others} other(s) still pending,` : ""} (it said ${describeValue(said)})`,
        );
      }
    },
  }),
  expiredChallenge,
  check({
    id: "BANK-THROTTLE",
    servers: "fresh",
    inputs: fc.tuple(
      operation,
      amount,
      fc.array(wrongCredentials, { minLength: maxWrongCredentials, maxLength: maxWrongCredentials }),
      fc.nat(maxWrongCredentials - 2),
    ),
    run: async (session, [op, sent, guesses, rightAfter], server) => {
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
        if (!deposited || deposited.operation !== "deposit" || deposited.amount !== sent) return session.fail(`the deposit of ${sent} applied${between}`, said);
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
  }),
  throttleWindow,
  throttlePending,
];
