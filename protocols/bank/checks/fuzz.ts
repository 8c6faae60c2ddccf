import { fc, count, malformedInput } from "../../../kit/index.js";
import { AMOUNT, balanceChange, balanceRequest, bank, credentials, operationLetter, operationRequest, parseApplied, type Operation } from "../spec/index.js";
import { check, rightCredentials, text } from "./session.js";

const { username } = bank.defaults;
const { maxDatagramBytes } = bank.limits;
/** The largest payload a UDP datagram over IPv4 carries. */
const MAX_UDP_PAYLOAD = 65507;
/** Hostile datagrams per property run, at most: lengths up to it come evenly, so the default 100 runs send over 10,000. */
export const FUZZ_BATCH = 300;

const operation = fc.constantFrom<Operation>("deposit", "withdraw");
const letter = operation.map(operationLetter);
/** The words of right credentials, alone or joined otherwise. */
const [userWord, pinWord] = rightCredentials.split(" ") as [string, string];

/** A datagram of `n` copies of one character, printed by its size rather than its bytes. */
const oversized = fc
  .tuple(fc.integer({ min: maxDatagramBytes + 1, max: MAX_UDP_PAYLOAD }), fc.constantFrom(balanceRequest, operationLetter("deposit"), "7"))
  .map(([n, fill]) => Object.assign(new Uint8Array(Buffer.alloc(n, fill)), { [fc.toStringMethod]: () => `${n} bytes of ${JSON.stringify(fill)}` }));

/**
 * What a careless or malicious client sends: everything the protocol says is no request, plus enough
 * well-formed requests and right credentials that challenges are pending and changes are applied.
 */
export const malformedDatagram: fc.Arbitrary<string | Uint8Array> = fc.oneof(
  fc.constant(""),
  oversized,
  malformedInput.invalidUtf8(maxDatagramBytes),
  malformedInput.withNul,
  malformedInput.randomBytes,
  fc.string({ maxLength: 30 }),
  fc.tuple(operation, fc.bigInt({ min: 10n ** 18n, max: 10n ** 60n })).map(([op, n]) => operationRequest(op, String(n))),
  fc.tuple(letter, fc.constantFrom("-5", "+5", " 5", "5 ", "٣", "５", "0x10", "1e3", "5.0", "")).map(([l, amount]) => l + amount),
  fc.constantFrom(userWord, pinWord, `${rightCredentials} extra`, `${userWord}  ${pinWord}`, `${userWord}\t${pinWord}`, " ", `${rightCredentials}\0`),
  { arbitrary: fc.tuple(operation, fc.bigInt({ min: 0n, max: 1000n })).map(([op, n]) => operationRequest(op, String(n))), weight: 3 },
  { arbitrary: fc.constant(rightCredentials), weight: 3 },
  fc.constant(credentials(username, "00000")),
  fc.constant(balanceRequest),
);

/**
 * BANK-FUZZ-SURVIVE: a batch of malformed datagrams from one socket, then a balance request from another.
 * The balance must have moved by exactly the changes the server acknowledged (their replies carry the
 * amount as sent), and every acknowledgement must agree with that running balance.
 */
export const fuzzSurvive = check({
  id: "BANK-FUZZ-SURVIVE",
  runs: "every",
  servers: "fresh",
  inputs: fc.array(malformedDatagram, { minLength: 1, maxLength: FUZZ_BATCH, size: "max" }),
  run: async (session, datagrams, _server, _ctx, ruleState) => {
    // The fuzzer speaks first: to a server that sends challenges to its first client (the original), it is that client.
    const [fuzzer, observer] = [await session.socket(), await session.socket()];
    let balance = await session.balance(fuzzer, " before the malformed datagrams");
    let sent = 0;
    for (const datagram of datagrams) {
      const answer = await session.request(fuzzer, datagram);
      sent += 1;
      if (answer.kind !== "message") break; // silent, perhaps dead: the balance request below tells
      const applied = parseApplied(text(answer) ?? "");
      if (applied && AMOUNT.test(applied.amount)) {
        balance += balanceChange(applied.operation, applied.amount);
        if (applied.balance !== balance) session.fail(`an acknowledged balance of ${balance}, by the changes acknowledged so far`, `${applied.balance}`);
      } else if (applied) {
        // An amount that is no number acknowledged (BANK-AMOUNT-MALFORMED's failure): its change is what the server says it was.
        balance = applied.balance;
      }
    }
    count(ruleState, "malformed datagrams", sent);
    await session.expectBalance(observer, balance, ` from a new address after ${sent} malformed datagram(s), moved only by the acknowledged changes`);
  },
});
