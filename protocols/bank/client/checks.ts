import { defineClientChecks, escapeRegExp, fc, type ClientDatagram, type ClientRuleCheck, type ClientSession, type SpoofSource } from "../../../kit/index.js";
import {
  appliedReply,
  balanceReply,
  balanceRequest,
  bank,
  credentials,
  deniedReply,
  isBalanceRequest,
  operationRequest,
  type Operation,
} from "../spec/index.js";
import type { BankClientRuleId } from "../spec/rule-ids.js";

const check = defineClientChecks<BankClientRuleId>();
const { challenge, improperFormat, throttled } = bank.wireTexts;
const { clientReplyTimeoutMs } = bank.limits;
const { username: defaultUsername, pin: defaultPin } = bank.defaults;

type Command = { op: "balance" } | { op: Operation; amount: string };

const digits = (maxLength: number) => fc.string({ unit: fc.constantFrom(..."0123456789"), minLength: 1, maxLength });
/** An amount as a user types it: digits, leading zeros included (the server echoes the text as sent). */
const amount = digits(6);
const operation = fc.record({ op: fc.constantFrom("deposit" as const, "withdraw" as const), amount });
const command: fc.Arbitrary<Command> = fc.oneof(fc.constant({ op: "balance" as const }), operation);
const username = fc.string({ unit: fc.constantFrom(..."abcdefghijklmnopqrstuvwxyz0123456789_"), minLength: 1, maxLength: 12 });
const pin = digits(8);
const balance = fc.bigInt({ min: 0n, max: 10n ** 12n });

const requestOf = (c: Command) => (c.op === "balance" ? balanceRequest : operationRequest(c.op, c.amount));
const quoted = (d: ClientDatagram) => (d.kind === "message" ? JSON.stringify(d.bytes.toString("utf8")) : "nothing");
const outputEnd = (session: ClientSession) => JSON.stringify(session.client.stdout.slice(-160));

/** Types the lines of a command: the menu choice, and the amount of an operation. */
function type(session: ClientSession, c: Command): void {
  if (c.op === "balance") session.do("balance");
  else session.do(c.op, { amount: c.amount });
}

/** How many times the client has shown a reply's text, not counting it inside a longer number (`12` in `112 dollar(s)`). */
function timesShown(stdout: string, text: string): number {
  return [...stdout.matchAll(new RegExp(`(?<![0-9-])${escapeRegExp(text)}`, "g"))].length;
}

/** Fails unless the client shows the text once more than before, within the reply timeout. */
async function expectShown(session: ClientSession, text: string, before: number, why: string): Promise<void> {
  if (!(await session.client.waitOutput((stdout) => timesShown(stdout, text) > before, session.timeouts.replyMs)))
    session.fail(`the client to show ${JSON.stringify(text)} ${why}`, `its output ends ${outputEnd(session)}`);
}

/** Receives the client's next datagram without judging it; fails when none comes. */
async function take(session: ClientSession, what: string): Promise<Buffer> {
  const datagram = await session.udp.receive(session.timeouts.replyMs);
  if (datagram.kind !== "message") session.fail(`the client to send ${what}`, `nothing within ${session.timeouts.replyMs} ms`);
  return datagram.bytes;
}

/** Receives the client's next datagram and fails unless it is exactly the text. */
async function expectExact(session: ClientSession, text: string, why: string): Promise<void> {
  const datagram = await session.udp.receive(session.timeouts.replyMs);
  if (datagram.kind !== "message" || !datagram.bytes.equals(Buffer.from(text, "utf8")))
    session.fail(`the client to send exactly ${JSON.stringify(text)} ${why}`, `it sent ${quoted(datagram)}`);
}

/** Answers an operation's request with the challenge and its credentials with the reply (after delayMs), as a correct server does. */
async function challengeThenReply(session: ClientSession, reply: string, delayMs = 0, context = ""): Promise<void> {
  await session.udp.answer(challenge);
  await take(session, `the credentials after the challenge${context}`);
  await session.udp.answer(reply, delayMs);
}

/**
 * A command and the reply the client must show: a balance request answered with the balance or a notice;
 * a deposit or withdrawal answered at once with a notice (throttled, or improper format), or challenged and
 * then answered with its acknowledgement, its refusal or a notice. The reply may come late, well within
 * clientReplyTimeoutMs.
 */
const shownExchange = fc
  .record({
    reply: command.chain((c) =>
      c.op === "balance"
        ? fc.record({
            command: fc.constant<Command>(c),
            challenged: fc.constant(false),
            text: fc.oneof(
              balance.map((b) => balanceReply(b)),
              fc.constantFrom(improperFormat, throttled),
            ),
          })
        : fc.boolean().chain((challenged) =>
            fc.record({
              command: fc.constant<Command>(c),
              challenged: fc.constant(challenged),
              text: challenged
                ? fc.oneof(
                    balance.map((b) => appliedReply(c.op, c.amount, b)),
                    fc.constantFrom(deniedReply(c.op), improperFormat, throttled),
                  )
                : fc.constantFrom(throttled, improperFormat),
            }),
          ),
    ),
    delayMs: fc.integer({ min: 0, max: clientReplyTimeoutMs / 4 }),
  })
  .map(({ reply, delayMs }) => ({ ...reply, delayMs }));

export const bankClientChecks: Array<ClientRuleCheck<BankClientRuleId>> = [
  check({
    id: "BANKC-SEND-EXACT",
    inputs: fc.array(fc.record({ command, balance }), { minLength: 1, maxLength: 4 }),
    run: async (session, exchanges) => {
      for (const { command: c } of exchanges) {
        type(session, c);
        if (c.op !== "balance") session.do("credentials", { username: defaultUsername, pin: defaultPin });
      }
      for (const [i, { command: c, balance: b }] of exchanges.entries()) {
        await expectExact(session, requestOf(c), `for command ${i + 1} (${c.op})`);
        if (c.op === "balance") await session.udp.answer(balanceReply(b));
        else await challengeThenReply(session, appliedReply(c.op, c.amount, b));
      }
    },
  }),
  check({
    id: "BANKC-CREDENTIALS-EXACT",
    inputs: fc.record({ operation, username, pin, balance, accepted: fc.boolean() }),
    run: async (session, { operation: c, username, pin, balance: b, accepted }) => {
      type(session, c);
      session.do("credentials", { username, pin });
      await take(session, `the ${c.op} request`);
      await session.udp.answer(challenge);
      await expectExact(session, credentials(username, pin), "in answer to the challenge");
      await session.udp.answer(accepted ? appliedReply(c.op, c.amount, b) : deniedReply(c.op));
    },
  }),
  check({
    id: "BANKC-SPOOF-IGNORED",
    inputs: fc.record({
      command,
      from: fc.constantFrom<SpoofSource>("other-address", "other-port"),
      real: balance,
      more: fc.bigInt({ min: 1n, max: 10n ** 6n }),
      spoofed: fc.constantFrom("figures" as const, "prompt" as const),
    }),
    run: async (session, { command: c, from, real, more, spoofed: kind }) => {
      type(session, c);
      if (c.op !== "balance") session.do("credentials", { username: defaultUsername, pin: defaultPin });
      await take(session, `the ${c.op} request`);
      // Figures: the reply with a larger balance, whose text never appears inside the real one's. A prompt:
      // the challenge to a balance request (answered only by a client that acts on it), or a refusal.
      const spoofed =
        kind === "figures"
          ? c.op === "balance"
            ? balanceReply(real + more)
            : appliedReply(c.op, c.amount, real + more)
          : c.op === "balance"
            ? challenge
            : deniedReply(c.op);
      const source = await session.udp.spoof(spoofed, from);
      const spoof = ` (a spoofed ${JSON.stringify(spoofed)} came before it, from ${source === "other-address" ? "127.0.0.2 and the server's port" : "another port"})`;
      const reply = c.op === "balance" ? balanceReply(real) : appliedReply(c.op, c.amount, real);
      if (c.op === "balance") await session.udp.answer(reply);
      else await challengeThenReply(session, reply, 0, spoof);
      await expectShown(session, reply, 0, `as the server's own reply${spoof}`);
      const after = await session.udp.arrival(session.timeouts.settleMs);
      if (after) session.fail("nothing more from the client once the server's reply is shown", `it sent ${quoted(await session.udp.receive(0))}`);
      if (timesShown(session.client.stdout, spoofed) > 0)
        session.fail(
          `the client not to show the datagram from ${source === "other-address" ? "127.0.0.2" : "another port"}`,
          `it showed ${JSON.stringify(spoofed)}`,
        );
    },
  }),
  check({
    id: "BANKC-LOST-REPLY",
    inputs: fc.record({ command, credentialsLost: fc.boolean(), balance }),
    runs: "twentieth",
    run: async (session, { command: c, credentialsLost, balance: b }) => {
      type(session, c);
      if (c.op !== "balance") session.do("credentials", { username: defaultUsername, pin: defaultPin });
      await take(session, `the ${c.op} request`);
      const lost = c.op !== "balance" && credentialsLost ? "the credentials" : `the ${c.op} request`;
      if (c.op !== "balance" && credentialsLost) {
        await session.udp.answer(challenge);
        await take(session, "the credentials");
      }
      session.udp.drop();
      const [before, lines] = await settledOutput(session);
      session.do("balance");
      const waitMs = clientReplyTimeoutMs + session.timeouts.replyMs;
      const next = await nextBalanceRequest(session, waitMs);
      if (!next)
        session.fail(
          `the client to stop waiting for the reply to ${lost} within clientReplyTimeoutMs (${clientReplyTimeoutMs} ms) and take the next command`,
          session.client.exit
            ? `it exited (${session.client.exit.code ?? session.client.exit.signal})`
            : `no balance request within ${waitMs} ms; its output ends ${outputEnd(session)}`,
        );
      const reply = balanceReply(b);
      await session.udp.answer(reply);
      await expectShown(session, reply, 0, "for the command after the lost reply");
      const said = newLines(session.client.stdout.slice(before), lines).filter((line) => !line.includes(reply));
      if (said.length === 0)
        session.fail(
          `the client to say that no reply came to ${lost}`,
          `it printed nothing it had not printed before: ${JSON.stringify(session.client.stdout.slice(before))}`,
        );
    },
  }),
  check({
    id: "BANKC-NO-RESEND",
    inputs: fc.record({ operation, credentialsLost: fc.boolean(), balance }),
    runs: "twentieth",
    run: async (session, { operation: c, credentialsLost, balance: b }) => {
      type(session, c);
      session.do("credentials", { username: defaultUsername, pin: defaultPin });
      await take(session, `the ${c.op} request`);
      if (credentialsLost) {
        await session.udp.answer(challenge);
        await take(session, "the credentials");
      }
      session.udp.drop();
      // Past the client's own timeout, with a margin: a resend comes when it gives up, or not at all.
      const deadline = performance.now() + clientReplyTimeoutMs + session.timeouts.replyMs;
      for (;;) {
        const datagram = await session.udp.receive(deadline - performance.now());
        if (datagram.kind !== "message") return;
        if (!isBalanceRequest(datagram.bytes.toString("utf8")))
          session.fail(
            `nothing but a balance request from the client, of its own accord, after the reply to ${credentialsLost ? "the credentials" : `the ${c.op} request`} was lost`,
            `it sent ${quoted(datagram)}`,
          );
        await session.udp.answer(balanceReply(b));
      }
    },
  }),
  check({
    id: "BANKC-SHOW-REPLIES",
    inputs: fc.array(shownExchange, { minLength: 1, maxLength: 3 }),
    run: async (session, exchanges) => {
      for (const { command: c, challenged } of exchanges) {
        type(session, c);
        if (challenged) session.do("credentials", { username: defaultUsername, pin: defaultPin });
      }
      for (const [i, { command: c, challenged, text, delayMs }] of exchanges.entries()) {
        const before = timesShown(session.client.stdout, text);
        await take(session, `the ${c.op} request`);
        if (challenged) await challengeThenReply(session, text, delayMs);
        else await session.udp.answer(text, delayMs);
        await expectShown(session, text, before, `in answer to command ${i + 1} (${c.op}${challenged ? ", challenged" : ""}, ${delayMs} ms after it)`);
      }
    },
  }),
];

/** Lets what the client printed before reach the kit, then gives its length and its lines so far. */
async function settledOutput(session: ClientSession): Promise<[number, Set<string>]> {
  await session.client.waitOutput(() => false, session.timeouts.settleMs);
  const stdout = session.client.stdout;
  return [stdout.length, new Set(lines(stdout))];
}

const lines = (text: string) =>
  text
    .split("\n")
    .map((line) => line.trim())
    .filter(Boolean);

/** The lines of text not among those printed before: what a client says that is not its menu shown again. */
const newLines = (text: string, before: ReadonlySet<string>) => lines(text).filter((line) => !before.has(line));

/** Waits for a balance request, taking any other datagram on the way (BANKC-NO-RESEND judges those): whether one came. */
async function nextBalanceRequest(session: ClientSession, waitMs: number): Promise<boolean> {
  const deadline = performance.now() + waitMs;
  for (;;) {
    const datagram = await session.udp.receive(Math.max(0, deadline - performance.now()));
    if (datagram.kind !== "message") return false;
    if (isBalanceRequest(datagram.bytes.toString("utf8"))) return true;
  }
}
