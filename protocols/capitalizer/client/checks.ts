import { defineClientChecks, fc, type ClientRead, type ClientRuleCheck, type ClientSession, type ScriptedConnection } from "../../../kit/index.js";
import { capitalizer } from "../spec/index.js";
import type { CapitalizerClientRuleId } from "../spec/rule-ids.js";

const check = defineClientChecks<CapitalizerClientRuleId>();
const { replySuffix, limitNotice, shutdownRequest } = capitalizer.wireTexts;
const { maxSentenceBytes } = capitalizer.limits;

/** A line a user may type: printable text, some of it beyond ASCII, never empty nor the shutdown request. */
const sentence = fc
  .string({ unit: fc.constantFrom(..."abcdefghijklmnopqrstuvwxyz ,.!?0123456789ABCXYZéßçΐﬁ"), minLength: 1, maxLength: 40 })
  .filter((text) => text !== shutdownRequest && text.trim() !== "");
/** A sentence whose reply is longer than maxSentenceBytes, as one recv(maxSentenceBytes) cannot take in. */
const longSentence = fc
  .integer({ min: maxSentenceBytes - replySuffix.length + 1, max: maxSentenceBytes })
  .map((length) => "abcdefghijklmnopqrstuvwxyz ".repeat(Math.ceil(length / 27)).slice(0, length));
/** Where a reply is cut, and how long each piece waits for the next: long enough for a client to act on a piece. */
const cuts = fc.array(
  fc.tuple(fc.integer({ min: 1, max: 3 * maxSentenceBytes }), fc.integer({ min: 80, max: 200 })).map(([at, delayMs]) => ({ at, delayMs })),
  { minLength: 1, maxLength: 3 },
);

const replyTo = (text: string) => `${text.toUpperCase()}${replySuffix}`;
const quoted = (read: ClientRead) =>
  read.kind === "message" ? JSON.stringify(read.bytes.toString("utf8")) : read.kind === "closed" ? `its ${read.reset ? "reset" : "close"}` : "nothing";
/** Pieces cut within the reply: an offset past its end would cut nothing. */
const within = (reply: string, pieces: ReadonlyArray<{ at: number; delayMs: number }>) =>
  pieces.map(({ at, delayMs }) => ({ at: 1 + (at % Math.max(1, Buffer.byteLength(reply) - 1)), delayMs }));

/** Reads the sentence the client sends for a line, failing unless it is exactly the line's UTF-8 bytes. */
async function expectSentence(session: ClientSession, conn: ScriptedConnection, text: string, why: string): Promise<void> {
  const read = await conn.read({ timeoutMs: session.timeouts.replyMs, settleMs: session.timeouts.settleMs });
  if (read.kind !== "message" || !read.bytes.equals(Buffer.from(text, "utf8")))
    session.fail(`the client to send exactly ${JSON.stringify(text)} ${why}`, `it sent ${quoted(read)}`);
}

/** Reads a sentence as it comes, without judging it, for the checks of what comes after. */
async function takeSentence(session: ClientSession, conn: ScriptedConnection, text: string): Promise<void> {
  const expected = Buffer.byteLength(text);
  const read = await conn.read({ complete: (bytes) => bytes.length >= expected, timeoutMs: session.timeouts.replyMs, settleMs: session.timeouts.settleMs });
  if (read.kind !== "message") session.fail(`the client to send the sentence ${JSON.stringify(text)}`, `it sent ${quoted(read)}`);
}

/** Serves lines as a correct server does: each sentence read and answered whole. */
async function serve(session: ClientSession, conn: ScriptedConnection, texts: readonly string[]): Promise<void> {
  for (const text of texts) {
    await takeSentence(session, conn, text);
    await conn.write(Buffer.from(replyTo(text)));
  }
}

/** Expects the shutdown request, exactly and alone, then the client's close. */
async function expectShutdown(session: ClientSession, conn: ScriptedConnection, why: string): Promise<void> {
  const { replyMs, settleMs } = session.timeouts;
  const read = await conn.read({ timeoutMs: replyMs, settleMs });
  if (read.kind !== "message" || read.bytes.toString("utf8") !== shutdownRequest)
    session.fail(`exactly the shutdown request ${JSON.stringify(shutdownRequest)} ${why}`, `the client sent ${quoted(read)}`);
  const after = await conn.read({ timeoutMs: replyMs, settleMs });
  if (after.kind !== "closed") session.fail(`the client to close the connection after the shutdown request`, `it sent ${quoted(after)}`);
}

export const capitalizerClientChecks: Array<ClientRuleCheck<CapitalizerClientRuleId>> = [
  check({
    id: "CAPC-SEND-EXACT",
    inputs: fc.array(sentence, { minLength: 1, maxLength: 4 }),
    run: async (session, texts) => {
      for (const text of texts) session.do("sentence", { text });
      const conn = await session.accept();
      for (const [i, text] of texts.entries()) {
        await expectSentence(session, conn, text, `for input line ${i + 1}`);
        await conn.write(Buffer.from(replyTo(text)));
      }
    },
  }),
  check({
    id: "CAPC-WAIT-REPLY",
    inputs: fc.record({ texts: fc.array(sentence, { minLength: 2, maxLength: 3 }), pieces: cuts }),
    run: async (session, { texts, pieces }) => {
      for (const text of texts) session.do("sentence", { text });
      const conn = await session.accept();
      for (const [i, text] of texts.slice(0, -1).entries()) {
        await takeSentence(session, conn, text);
        const reply = replyTo(text);
        const early = await conn.write(Buffer.from(reply), within(reply, pieces));
        if (early)
          session.fail(
            `nothing from the client until the reply to sentence ${i + 1} was complete (it arrives in ${pieces.length + 1} pieces)`,
            `it sent ${quoted(early)} before the last piece`,
          );
      }
    },
  }),
  check({
    id: "CAPC-REPLY-WHOLE",
    inputs: fc.record({ text: fc.oneof(sentence, longSentence), pieces: fc.oneof(fc.constant([]), cuts) }),
    run: async (session, { text, pieces }) => {
      session.do("sentence", { text });
      const conn = await session.accept();
      await takeSentence(session, conn, text);
      const reply = replyTo(text);
      await conn.write(Buffer.from(reply), within(reply, pieces));
      const how = `${Buffer.byteLength(reply)} bytes${pieces.length > 0 ? `, sent in ${pieces.length + 1} pieces` : ", sent in one write"}`;
      if (!(await session.shows(reply)))
        session.fail(`the client to show the whole reply (${how})`, `its output ends ${JSON.stringify(session.client.stdout.slice(-120))}`);
    },
  }),
  check({
    id: "CAPC-LIMIT-END",
    inputs: fc.record({ answered: fc.array(sentence, { maxLength: 3 }), last: sentence, more: sentence }),
    run: async (session, { answered, last, more }) => {
      for (const text of [...answered, last, more]) session.do("sentence", { text });
      const conn = await session.accept();
      await serve(session, conn, answered);
      await takeSentence(session, conn, last);
      await conn.write(Buffer.from(limitNotice));
      conn.close();
      if (!(await session.shows(limitNotice)))
        session.fail("the client to show the limit notice", `its output ends ${JSON.stringify(session.client.stdout.slice(-120))}`);
      await session.expectExit(0, "after the limit notice");
      if (session.client.stderr !== "") session.fail("nothing on standard error after the limit notice", JSON.stringify(session.client.stderr.slice(-200)));
    },
  }),
  check({
    id: "CAPC-SERVER-CLOSE",
    inputs: fc.record({ answered: fc.array(sentence, { maxLength: 2 }), last: sentence, how: fc.constantFrom("close" as const, "reset" as const) }),
    run: async (session, { answered, last, how }) => {
      for (const text of [...answered, last]) session.do("sentence", { text });
      const conn = await session.accept();
      await serve(session, conn, answered);
      await takeSentence(session, conn, last);
      if (how === "close") conn.close();
      else conn.reset();
      // Its input stays open: a client that goes back to it waits for ever.
      await session.expectExit("nonzero", `once the server ${how === "close" ? "closed" : "reset"} the connection instead of replying`);
    },
  }),
  check({
    id: "CAPC-SIGINT-SHUTDOWN",
    inputs: fc.array(sentence, { minLength: 1, maxLength: 3 }),
    run: async (session, answered) => {
      for (const text of answered) session.do("sentence", { text });
      const conn = await session.accept();
      await serve(session, conn, answered);
      // Interrupted once it has shown the last reply, so that it is waiting for input, as at a terminal.
      if (!(await session.shows(replyTo(answered.at(-1)!)))) session.fail("the client to show the reply before it is interrupted", "it did not");
      session.client.interrupt();
      await expectShutdown(session, conn, "on SIGINT");
    },
  }),
  check({
    id: "CAPC-EOF-SHUTDOWN",
    inputs: fc.array(sentence, { maxLength: 3 }),
    run: async (session, answered) => {
      for (const text of answered) session.do("sentence", { text });
      session.client.endInput();
      const conn = await session.accept();
      await serve(session, conn, answered);
      await expectShutdown(session, conn, "at the end of its input");
      await session.expectExit(0, "at the end of its input");
    },
  }),
];
