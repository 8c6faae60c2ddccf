import dgram from "node:dgram";
import { writeFileSync } from "node:fs";
import { open, readFile, rename, writeFile } from "node:fs/promises";
import { setTimeout } from "node:timers/promises";
import path from "node:path";
import {
  accountFileText,
  appliedReply,
  balanceReply,
  bank,
  credentialsGiven,
  deniedReply,
  isBalanceRequest,
  parseAccountFile,
  parseOperation,
  startsWithByteOrderMark,
  type Operation,
} from "../spec/index.js";
import { type BrokenServer, decodeUtf8 } from "../../../kit/index.js";
import type { BankRuleId } from "../spec/rule-ids.js";

/** One defect each: what a deliberately broken bank server gets wrong. */
export interface BankDefects {
  /** Answers the second of two balance requests from one client that begin its life (without a data file) with a balance one too high. */
  secondBalanceWrong?: boolean;
  /** Compares the PIN by its value (parseInt), so that characters after its digits are ignored. */
  pinReadAsNumber?: boolean;
  /** Takes a PIN that begins the right one for right, as a comparison that stops at the shorter text does. */
  pinPrefixAccepted?: boolean;
  /** Applies an operation answered with the right PIN but another username, though it answers with the denial. */
  appliesForAnyUsername?: boolean;
  /** Takes an empty datagram for a balance request. */
  emptyDatagramIsBalance?: boolean;
  /** Adds a deposit of 1,001 to 9,999,999 dollars twice when the balance is above zero. */
  largeDepositTwice?: boolean;
  /** Subtracts a withdrawal of 1,001 to 9,999,999 dollars twice when the balance is below zero. */
  largeOverdraftTwice?: boolean;
  /** Applies a deposit twice. */
  depositTwice?: boolean;
  /** Echoes the amount's value instead of its text (`d007` -> `Deposited 7 ...`). */
  amountNotEchoed?: boolean;
  /** Rounds amounts with this many digits (from, to) to double precision. */
  roundsAmountsOfDigits?: [number, number];
  /** Answers a datagram that starts with no known command letter with a text of its own, unless it starts with `u` like credentials. */
  unknownCommandText?: boolean;
  /** Answers a deposit or withdrawal whose amount does not start with a digit with a text of its own. */
  malformedAmountText?: boolean;
  /** Stops (closes its socket, as a crash would) on a malformed amount. */
  crashesOnMalformedAmount?: boolean;
  /** Asks again, the challenge still pending, when credentials have fewer than two words. */
  asksForBothWords?: boolean;
  /** Sends every challenge to the first client it ever saw, as the original does. */
  challengeToFirstClient?: boolean;
  /** Sends a challenge to the client that last asked for the balance, when one did. */
  challengeToLastBalanceAsker?: boolean;
  /** Keeps one conversation at a time: a datagram from another address drops a pending challenge. */
  challengeDroppedByOthers?: boolean;
  /** Waits for a challenge's credentials for ever. */
  challengeNeverExpires?: boolean;
  /** Lets an address guess credentials for ever (a SHOULD, BANK-THROTTLE). */
  neverThrottles?: boolean;
  /** Forgets an IP address's wrong answers when it gives a right one (a SHOULD, BANK-THROTTLE). */
  rightAnswerResetsThrottle?: boolean;
  /** Counts only the wrong answers of the last throttle window, not those since the last quiet one (a SHOULD, BANK-THROTTLE-WINDOW). */
  slidingThrottleWindow?: boolean;
  /** Never forgets a wrong answer, so that a throttle never ends (a SHOULD, BANK-THROTTLE-WINDOW). */
  throttleNeverEnds?: boolean;
  /** Judges the throttle only when it sends a challenge, so that challenges opened before it began are judged as usual (a SHOULD, BANK-THROTTLE-PENDING). */
  throttleAtChallengeOnly?: boolean;
  /** Keeps the balance in memory only and starts from 0. */
  notPersisted?: boolean;
  /** When stopped, writes the balance it started with back to its file (a stale copy saved on the way out). */
  staleCopyOnStop?: boolean;
  /** Leaves out the file's final newline when it saves a change (it writes the file in full when it starts). */
  noFinalNewline?: boolean;
  /** Takes the built-in username and PIN, whatever the file says. */
  credentialsNotLoaded?: boolean;
  /** Starts on a file that is no account file as on a new account, and writes over it. */
  startsOnMalformedFile?: boolean;
  /** Reads the balance of an existing file as a JavaScript number, losing digits past 2^53. */
  balanceReadAsNumber?: boolean;
  /** Stops (closes its socket, as a crash would) on a datagram that is not valid UTF-8. */
  crashesOnInvalidUtf8?: boolean;
  /** Reads a datagram that is not valid UTF-8 with replacement characters and serves it. */
  invalidUtf8Lenient?: boolean;
  /** Stops (closes its socket, as a crash would) on a datagram of more than twice maxDatagramBytes. */
  crashesOnHugeDatagram?: boolean;
  /** Reads the first maxDatagramBytes bytes of a longer datagram and serves them, as the original does. */
  servesOversizedCut?: boolean;
  /** Takes only `b` itself for a balance request, anything after it for an improper format. */
  balanceOnlyForB?: boolean;
  /** Reads credentials as split at single spaces, with the letters `u` and `p` required. */
  credentialsByLetter?: boolean;
  /** Rewrites the account file in place (truncate, then write), slowly, as on a busy disk; no rename. */
  writesInPlace?: boolean;
  /** Takes full-width and Arabic-Indic digits for an amount too (`d５`), as Python's int() does, and echoes them. */
  unicodeDigitsAccepted?: boolean;
  /** Answers an amount of zero (`d0`, `w000`) with the improper-format text. */
  refusesZero?: boolean;
  /** Stops (closes its socket, as a crash would) when a second address's challenge would be pending at once. */
  crashesOnTwoPending?: boolean;
}

/** The value of an amount in ASCII, full-width or Arabic-Indic digits (unicodeDigitsAccepted). */
const asciiDigits = (amount: string) => amount.replace(/[\uff10-\uff19\u0660-\u0669]/gu, (d) => String(d.charCodeAt(0) - (d >= "\uff10" ? 0xff10 : 0x0660)));

/**
 * The challenge timeout the broken banks run with; tests pass it to the runner as the target's limit. As the
 * built-in reference's, it is a second: long enough that a loaded machine answers a challenge in time.
 */
export const brokenBankLimits = { challengeTimeoutMs: 1000, throttleWindowMs: 1000 };

/** Texts of the broken banks' own, where the spec has others. */
const [UNKNOWN_COMMAND, INVALID_AMOUNT, BOTH_WORDS] = ["Unknown command.", "Invalid amount.", "Please give both the username and the pin number."];

/** An amount from 1,001 to 9,999,999 dollars. */
const isLarge = (amount: string) => BigInt(amount) > 1000n && BigInt(amount) < 10n ** 7n;

/** A simple bank server (one pending challenge per address) with exactly the given defects. */
export async function createBrokenBank(workdir: string, defects: BankDefects): Promise<dgram.Socket> {
  const { wireTexts, defaults, limits } = bank;
  const file = path.join(workdir, defaults.dataFile);
  // Missing is a new account; there but unreadable, not UTF-8 or with a byte order mark is no account file (the replacement
  // character, or the mark kept, makes it fail the test).
  const storedBytes = defects.notPersisted
    ? undefined
    : await readFile(file).catch((error: NodeJS.ErrnoException) => (error.code === "ENOENT" ? undefined : Buffer.from([0xff])));
  const stored = storedBytes === undefined ? undefined : startsWithByteOrderMark(storedBytes) ? "\ufeff" : (decodeUtf8(storedBytes) ?? "\ufffd");
  // It reads back its own files, whose final newline noFinalNewline leaves out.
  const account = stored === undefined ? undefined : parseAccountFile(defects.noFinalNewline && !stored.endsWith("\n") ? `${stored}\n` : stored);
  if (stored !== undefined && !account && !defects.startsOnMalformedFile) throw new Error(`${file}: not an account file`);
  let balance = account ? (defects.balanceReadAsNumber ? BigInt(Number(account.balance)) : account.balance) : 0n;
  const [username, pin] = account && !defects.credentialsNotLoaded ? [account.username, account.pin] : [defaults.username, defaults.pin];
  if (stored !== undefined && !account) await writeFile(file, accountFileText(0n, username, pin)); // startsOnMalformedFile
  const startingBalance = balance;
  const pending = new Map<string, { operation: Operation; amount: string; expires: number }>();
  let firstClient: dgram.RemoteInfo | undefined;
  let lastBalanceAsker: dgram.RemoteInfo | undefined;
  /** Every datagram as `address text`, in order. */
  const received: string[] = [];
  /** Per IP address, whatever the port: the times of its wrong answers since its last quiet throttle window. */
  const wrongAnswers = new Map<string, number[]>();
  const { throttleWindowMs } = brokenBankLimits;
  const guessedWrong = (address: string) => {
    const now = Date.now();
    const times = wrongAnswers.get(address) ?? [];
    const quiet = !defects.throttleNeverEnds && times.length > 0 && now - times.at(-1)! >= throttleWindowMs;
    wrongAnswers.set(address, [...(quiet ? [] : times), now]);
  };
  const throttled = (address: string) => {
    const now = Date.now();
    const times = wrongAnswers.get(address) ?? [];
    if (defects.neverThrottles) return false;
    if (defects.slidingThrottleWindow) return times.filter((time) => now - time < throttleWindowMs).length >= limits.maxWrongCredentials;
    return times.length >= limits.maxWrongCredentials && (defects.throttleNeverEnds || now - times.at(-1)! < throttleWindowMs);
  };
  const save = async () => {
    if (defects.notPersisted) return;
    const text = accountFileText(balance, username, pin);
    if (defects.writesInPlace) {
      const handle = await open(file, "w"); // truncates: until the write below, the file is empty
      await setTimeout(20);
      await handle.writeFile(text);
      return handle.close();
    }
    // A new file renamed over the old one: a kill leaves one or the other, whole.
    await writeFile(`${file}.new`, defects.noFinalNewline ? text.slice(0, -1) : text);
    await rename(`${file}.new`, file);
  };
  if (defects.noFinalNewline && stored) await writeFile(file, accountFileText(balance, username, pin));
  const amountValue = (amount: string) => {
    const [from, to] = defects.roundsAmountsOfDigits ?? [];
    const rounded = from !== undefined && to !== undefined && amount.length >= from && amount.length <= to;
    return rounded ? BigInt(Number(amount)) : BigInt(asciiDigits(amount));
  };
  const changeOf = (operation: Operation, amount: string) => {
    const change = (operation === "deposit" ? 1n : -1n) * amountValue(amount);
    const twice =
      (operation === "deposit" && defects.depositTwice) ||
      (operation === "deposit" && defects.largeDepositTwice && balance > 0n && isLarge(amount)) ||
      (operation === "withdraw" && defects.largeOverdraftTwice && balance < 0n && isLarge(amount));
    return twice ? 2n * change : change;
  };
  const pinMatches = (given: string) =>
    defects.pinReadAsNumber ? parseInt(given, 10) === Number(pin) : defects.pinPrefixAccepted ? pin.startsWith(given) : given === pin;
  const given = (answer: string) => {
    if (!defects.credentialsByLetter) return credentialsGiven(answer);
    const [user, secret] = answer.split(" ");
    return user?.startsWith("u") && secret?.startsWith("p") ? { username: user.slice(1), pin: secret.slice(1) } : undefined;
  };

  const socket = dgram.createSocket("udp4");
  let closed = false;
  socket.on("close", () => (closed = true));
  if (defects.staleCopyOnStop)
    socket.on("close", () => {
      try {
        writeFileSync(file, accountFileText(startingBalance, username, pin));
      } catch {
        // the folder is gone already
      }
    });
  socket.on("message", async (datagram, remote) => {
    firstClient ??= remote;
    const from = `${remote.address}:${remote.port}`;
    if (defects.challengeDroppedByOthers) for (const other of pending.keys()) if (other !== from) pending.delete(other);
    const oversized = datagram.length > limits.maxDatagramBytes;
    if (oversized && defects.servesOversizedCut) datagram = datagram.subarray(0, limits.maxDatagramBytes);
    const utf8 = decodeUtf8(datagram) !== undefined;
    // Not UTF-8: no request, and no credentials (unless read leniently, with replacement characters).
    const unreadable = !utf8 && !defects.invalidUtf8Lenient;
    const text = unreadable ? "\u0000not UTF-8" : datagram.toString("utf8");
    received.push(`${from} ${text}`);
    // A reply after a stop (a change saved as the server was stopped) goes nowhere.
    const reply = (message: string, to = remote) => void (closed || socket.send(message, to.port, to.address));
    if (defects.crashesOnInvalidUtf8 && !utf8) return socket.close();
    if (defects.crashesOnHugeDatagram && datagram.length > 2 * limits.maxDatagramBytes) return socket.close();
    const challenge = pending.get(from);
    if (challenge && (defects.challengeNeverExpires || challenge.expires > Date.now())) {
      const credentials = (oversized && !defects.servesOversizedCut) || unreadable ? undefined : given(text);
      if (defects.asksForBothWords && !oversized && credentialsGiven(text) === undefined) return reply(BOTH_WORDS);
      pending.delete(from);
      if (!defects.throttleAtChallengeOnly && throttled(remote.address)) {
        guessedWrong(remote.address);
        return reply(wireTexts.throttled);
      }
      const userMatches = credentials?.username === username;
      if (!userMatches || !pinMatches(credentials?.pin ?? "")) {
        guessedWrong(remote.address);
        if (defects.appliesForAnyUsername && pinMatches(credentials?.pin ?? "")) {
          balance += changeOf(challenge.operation, challenge.amount);
          await save();
        }
        return reply(deniedReply(challenge.operation));
      }
      if (defects.rightAnswerResetsThrottle) wrongAnswers.delete(remote.address);
      balance += changeOf(challenge.operation, challenge.amount);
      await save();
      return reply(appliedReply(challenge.operation, defects.amountNotEchoed ? String(BigInt(challenge.amount)) : challenge.amount, balance));
    }
    if ((oversized && !defects.servesOversizedCut) || unreadable) return reply(wireTexts.improperFormat);
    if ((defects.balanceOnlyForB ? text === "b" : isBalanceRequest(text)) || (text === "" && defects.emptyDatagramIsBalance)) {
      lastBalanceAsker = remote;
      const secondOfTwo = defects.secondBalanceWrong && !stored && received.length === 2 && received[0] === received[1];
      return reply(balanceReply(secondOfTwo ? balance + 1n : balance));
    }
    const lenient = defects.unicodeDigitsAccepted && /^[dw][0-9\uff10-\uff19\u0660-\u0669]+$/u.test(text);
    const request =
      parseOperation(text) ?? (lenient ? { operation: text[0] === "d" ? ("deposit" as const) : ("withdraw" as const), amount: text.slice(1) } : undefined);
    const malformed = !request && /^[dw]/.test(text);
    if (malformed && defects.crashesOnMalformedAmount) return socket.close();
    if (malformed && defects.malformedAmountText && !/^.[0-9]/.test(text)) return reply(INVALID_AMOUNT);
    if (!request && !malformed && text !== "" && !text.startsWith("u") && defects.unknownCommandText) return reply(UNKNOWN_COMMAND);
    if (!request || (defects.refusesZero && /^0+$/.test(request.amount))) return reply(wireTexts.improperFormat);
    if (throttled(remote.address)) return reply(wireTexts.throttled);
    if (defects.crashesOnTwoPending && [...pending.entries()].some(([other, { expires }]) => other !== from && expires > Date.now())) return socket.close();
    pending.set(from, { ...request, expires: Date.now() + brokenBankLimits.challengeTimeoutMs });
    const to = (defects.challengeToFirstClient && firstClient) || (defects.challengeToLastBalanceAsker && lastBalanceAsker) || remote;
    reply(wireTexts.challenge, to);
  });
  return socket;
}

/**
 * The broken banks the kit must catch, each with the rules it fails. The servers a check kills
 * (BANK-CRASH-DURABLE) run as processes of their own (broken/process.ts).
 */
export const brokenBanks: Array<BrokenServer<BankDefects, BankRuleId>> = [
  {
    name: "a wrong second balance",
    defects: { secondBalanceWrong: true },
    fails: ["BANK-BALANCE", "BANK-MODEL"],
    notAlone: {
      rule: "BANK-BALANCE",
      why:
        "BANK-BALANCE's check asks a fresh server for its balance once, taking any balance, as BANK-WRONG-CREDENTIALS, " +
        "BANK-CHALLENGE-TIMEOUT and the fuzzer begin too, then judge it by the balances that follow; only its fixture asks twice and " +
        "judges the balance, and under the kit's default seed the second run of BANK-MODEL begins with the same two requests (then a third)",
    },
  },
  // Only BANK-CHALLENGE answers with the PIN and a letter after it (`p02323x`); other wrong PINs differ in their digits.
  { name: "the PIN compared as a number", defects: { pinReadAsNumber: true }, fails: ["BANK-CHALLENGE"] },
  // Only BANK-WRONG-CREDENTIALS answers with the start of the PIN; the other wrong PINs are longer or differ in a character.
  { name: "a PIN taken when it begins the right one", defects: { pinPrefixAccepted: true }, fails: ["BANK-WRONG-CREDENTIALS"] },
  // Only BANK-WRONG-CREDENTIALS (and its fixture) and BANK-CREDENTIALS-WORDS, whose wrong usernames come with the right PIN, answer
  // with another username and the right PIN, then ask the balance; BANK-THROTTLE's guesses may do so too but never look at the balance.
  {
    name: "a change applied for any username",
    defects: { appliesForAnyUsername: true },
    fails: ["BANK-WRONG-CREDENTIALS", "BANK-CREDENTIALS-WORDS"],
  },
  // Only BANK-EMPTY-DATAGRAM (and its fixture) judges the answer to an empty datagram; the fuzzer takes any answer.
  { name: "an empty datagram taken for a balance request", defects: { emptyDatagramIsBalance: true }, fails: ["BANK-EMPTY-DATAGRAM"] },
  // Only BANK-DEPOSIT deposits 1,001 to 9,999,999 dollars onto a balance above zero: the other checks of that size make one change,
  // from zero; BANK-MODEL's amounts have up to 2 or about 20 digits, the fuzzer's up to 4 or over 18, BANK-EXACT-BALANCE's over 18.
  // (BANK-CRASH-DURABLE, which draws as BANK-DEPOSIT does and is skipped in-process, would see it too.)
  { name: "a large deposit added twice to a balance above zero", defects: { largeDepositTwice: true }, fails: ["BANK-DEPOSIT"] },
  // Likewise, only BANK-WITHDRAW withdraws such amounts from a balance below zero (and BANK-CRASH-DURABLE, skipped in-process).
  { name: "a large withdrawal subtracted twice from a balance below zero", defects: { largeOverdraftTwice: true }, fails: ["BANK-WITHDRAW"] },
  // Only BANK-AMOUNT-ECHO sends amounts with leading zeros (and the fuzzer, which takes the amount as echoed).
  { name: "amount not echoed", defects: { amountNotEchoed: true }, fails: ["BANK-AMOUNT-ECHO"] },
  // Only BANK-EXACT-BALANCE draws amounts of 22 to 31 digits (up to 10^30); BANK-MODEL's stop at 10^20, the fuzzer's are of 19 or
  // about 60 digits.
  { name: "amounts of 22 to 31 digits rounded", defects: { roundsAmountsOfDigits: [22, 31] }, fails: ["BANK-EXACT-BALANCE"] },
  // Only BANK-MODEL draws amounts of 20 or 21 digits (up to 10^20); BANK-EXACT-BALANCE's are of 19 or 22 and more, the fuzzer's of 19
  // or about 60, and BANK-LOAD-EXISTING's balances of that size are no amounts.
  { name: "amounts of 20 or 21 digits rounded", defects: { roundsAmountsOfDigits: [20, 21] }, fails: ["BANK-MODEL"] },
  // Only BANK-UNKNOWN-COMMAND judges the answer to an unknown command: BANK-CHALLENGE-TIMEOUT's (late credentials) starts with `u`,
  // and the fuzzer takes any answer.
  { name: "a text of its own for an unknown command", defects: { unknownCommandText: true }, fails: ["BANK-UNKNOWN-COMMAND"] },
  // Only BANK-AMOUNT-MALFORMED judges the answer to a malformed amount that starts with no digit (BANK-THROTTLE's starts with one);
  // the fuzzer takes any answer.
  { name: "a text of its own for a malformed amount", defects: { malformedAmountText: true }, fails: ["BANK-AMOUNT-MALFORMED"] },
  // The fuzzer sends malformed amounts too, and then finds the server gone.
  {
    name: "a crash on a malformed amount",
    defects: { crashesOnMalformedAmount: true },
    fails: ["BANK-AMOUNT-MALFORMED", "BANK-FUZZ-SURVIVE"],
    warns: ["BANK-THROTTLE"],
  },
  // Only BANK-CREDENTIALS-MISSING judges the answer to credentials of fewer than two words; the fuzzer takes any answer.
  { name: "credentials of one word asked again", defects: { asksForBothWords: true }, fails: ["BANK-CREDENTIALS-MISSING"] },
  // The throttle check's second client never gets its own challenge either.
  // BANK-CHALLENGE-SAME-ADDRESS's second requester gets no challenge of its own: it says so, naming BANK-CHALLENGE-REQUESTER.
  {
    name: "challenge sent to the first client",
    defects: { challengeToFirstClient: true },
    fails: ["BANK-CHALLENGE-REQUESTER"],
    warns: ["BANK-THROTTLE"],
    leavesUnchecked: ["BANK-CHALLENGE-SAME-ADDRESS", "BANK-THROTTLE-PENDING"],
  },
  // Only BANK-CHALLENGE-REQUESTER and BANK-THROTTLE-PENDING have one client ask for the balance and another then request a change;
  // BANK-THROTTLE-PENDING's second requester gets no challenge of its own: it says so, naming BANK-CHALLENGE-REQUESTER.
  {
    name: "challenge sent to the last client that asked the balance",
    defects: { challengeToLastBalanceAsker: true },
    fails: ["BANK-CHALLENGE-REQUESTER"],
    leavesUnchecked: ["BANK-THROTTLE-PENDING"],
  },
  // Only BANK-CHALLENGE-SAME-ADDRESS has another client speak while a challenge is pending and then the challenge answered (the
  // fuzzer's challenge may be pending when its observer speaks, but is never answered). BANK-THROTTLE-PENDING finds its first
  // challenge gone: it says so, naming BANK-CHALLENGE-SAME-ADDRESS.
  {
    name: "a pending challenge dropped when another client speaks",
    defects: { challengeDroppedByOthers: true },
    fails: ["BANK-CHALLENGE-SAME-ADDRESS"],
    leavesUnchecked: ["BANK-THROTTLE-PENDING"],
  },
  // Only BANK-CHALLENGE-TIMEOUT answers a challenge after the timeout.
  { name: "a challenge that never expires", defects: { challengeNeverExpires: true }, fails: ["BANK-CHALLENGE-TIMEOUT"] },
  // Only the throttle's checks give as many wrong answers.
  {
    name: "no throttle on guessed credentials",
    defects: { neverThrottles: true },
    fails: [],
    warns: ["BANK-THROTTLE", "BANK-THROTTLE-WINDOW", "BANK-THROTTLE-PENDING"],
  },
  // Only BANK-THROTTLE-WINDOW spreads wrong answers over more than a window, and waits one out.
  { name: "a sliding throttle window", defects: { slidingThrottleWindow: true }, fails: [], warns: ["BANK-THROTTLE-WINDOW"] },
  { name: "a throttle that never ends", defects: { throttleNeverEnds: true }, fails: [], warns: ["BANK-THROTTLE-WINDOW"] },
  // Only BANK-THROTTLE-PENDING answers challenges while throttled.
  { name: "a throttle judged only when a challenge is sent", defects: { throttleAtChallengeOnly: true }, fails: [], warns: ["BANK-THROTTLE-PENDING"] },
  // Only BANK-THROTTLE's right answers come between wrong ones.
  { name: "a throttle reset by a right answer", defects: { rightAnswerResetsThrottle: true }, fails: [], warns: ["BANK-THROTTLE"] },
  // Nothing is written or read: every check of the file and of restarts sees it (BANK-CRASH-DURABLE too, skipped in-process).
  {
    name: "balance not persisted",
    defects: { notPersisted: true },
    fails: ["BANK-PERSIST-RESTART", "BANK-FILE-FORMAT", "BANK-LOAD-EXISTING", "BANK-LOAD-CREDENTIALS", "BANK-FILE-MALFORMED"],
  },
  // Only BANK-PERSIST-RESTART stops a server and starts another in its folder (BANK-CRASH-DURABLE kills them).
  { name: "a stale copy saved when stopped", defects: { staleCopyOnStop: true }, fails: ["BANK-PERSIST-RESTART"] },
  // Only BANK-FILE-FORMAT reads the file as a change left it: a start writes it in full, before BANK-CRASH-DURABLE reads it.
  { name: "no final newline in the file", defects: { noFinalNewline: true }, fails: ["BANK-FILE-FORMAT"] },
  // Only BANK-LOAD-CREDENTIALS starts servers on files with other credentials.
  { name: "the built-in credentials whatever the file says", defects: { credentialsNotLoaded: true }, fails: ["BANK-LOAD-CREDENTIALS"] },
  // Only BANK-FILE-MALFORMED starts servers on files that are no account files.
  { name: "a new account over a malformed file", defects: { startsOnMalformedFile: true }, fails: ["BANK-FILE-MALFORMED"] },
  // Only BANK-LOAD-EXISTING starts servers on files with balances past 2^53.
  { name: "the file's balance read as a number", defects: { balanceReadAsNumber: true }, fails: ["BANK-LOAD-EXISTING"] },
  // The fuzzer sends datagrams that are not UTF-8 too, and then finds the server gone.
  { name: "a crash on invalid UTF-8", defects: { crashesOnInvalidUtf8: true }, fails: ["BANK-UTF8-INVALID", "BANK-FUZZ-SURVIVE"] },
  // Only BANK-UTF8-INVALID judges the answer to a datagram that is not UTF-8; the fuzzer takes any answer.
  { name: "invalid UTF-8 read with replacement characters", defects: { invalidUtf8Lenient: true }, fails: ["BANK-UTF8-INVALID"] },
  // Only the fuzzer sends datagrams of more than twice maxDatagramBytes (BANK-DATAGRAM-OVERSIZED's exceed it by at most 64 bytes).
  { name: "a crash on a huge datagram", defects: { crashesOnHugeDatagram: true }, fails: ["BANK-FUZZ-SURVIVE"] },
  // The fuzzer's oversized datagrams are no requests it judges the answer to, and a deposit it cuts is echoed as applied.
  { name: "an oversized datagram cut and served", defects: { servesOversizedCut: true }, fails: ["BANK-DATAGRAM-OVERSIZED"] },
  // Only BANK-BALANCE-ANY-SUFFIX judges the answer to `b` with more after it; the fuzzer takes any answer.
  { name: "only b itself taken for a balance request", defects: { balanceOnlyForB: true }, fails: ["BANK-BALANCE-ANY-SUFFIX"] },
  // Every other check answers challenges with `u<username> p<pin>` or with fewer than two words.
  { name: "credentials read by their letters u and p, split at single spaces", defects: { credentialsByLetter: true }, fails: ["BANK-CREDENTIALS-WORDS"] },
  // Only BANK-CRASH-DURABLE kills a server, and it may catch one between the truncation and the write; every check that reads the file
  // waits for the change to be acknowledged, once it is written.
  { name: "the file rewritten in place", defects: { writesInPlace: true }, fails: ["BANK-CRASH-DURABLE"] },
  // Only BANK-AMOUNT-MALFORMED judges the answer to such an amount; the fuzzer sends them too and takes the change it acknowledges.
  { name: "full-width and Arabic-Indic digits taken for an amount", defects: { unicodeDigitsAccepted: true }, fails: ["BANK-AMOUNT-MALFORMED"] },
  // Only BANK-AMOUNT-ZERO sends amounts of zero it judges (the fuzzer's take any answer).
  { name: "an amount of zero refused", defects: { refusesZero: true }, fails: ["BANK-AMOUNT-ZERO"] },
  // Only BANK-CHALLENGE-SAME-ADDRESS and BANK-THROTTLE-PENDING have challenges of two addresses pending at once; to the latter's
  // second requester the crash is silence, which it cannot tell from a challenge not sent.
  {
    name: "a crash on challenges of two addresses pending at once",
    defects: { crashesOnTwoPending: true },
    fails: ["BANK-CHALLENGE-SAME-ADDRESS"],
    warns: ["BANK-THROTTLE-PENDING"],
  },
];
