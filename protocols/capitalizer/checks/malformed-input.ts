import { fc, type RuleCheck } from "../../../kit/index.js";
import { capitalizer } from "../spec/index.js";
import type { CapitalizerRuleId } from "../spec/rule-ids.js";
import * as arb from "./arbitraries.js";
import { fuzzSurvive } from "./fuzz.js";
import { check, type CapitalizerSession } from "./session.js";
import { answerEach, quotaSentences, sentence } from "./shared.js";

/**
 * A new client writes invalid UTF-8, and is given the settle time for the server to read it. The checks do
 * it before the client that must not be disturbed connects (a server that handles one connection at a time
 * then reads it first: read after, it would prove nothing) and again while that client is connected.
 */
async function sendInvalid(session: CapitalizerSession, invalid: Uint8Array): Promise<void> {
  const sender = await session.connect();
  sender.send(invalid);
  await sender.waitClosed(session.timeouts.settleMs);
}

/** Input no client should send: invalid UTF-8, and fuzz. */
export const malformedInputChecks: Array<RuleCheck<CapitalizerRuleId>> = [
  check({
    id: "CAP-UTF8-INVALID-NO-COUNT",
    servers: "fresh",
    inputs: fc.tuple(arb.invalidUtf8(capitalizer), quotaSentences),
    run: async (session, [invalid, texts]) => {
      await sendInvalid(session, invalid);
      const stayer = await session.connect(" after another client's write of invalid UTF-8");
      const half = Math.floor(texts.length / 2);
      await answerEach(session, stayer, texts.slice(0, half), " as a write of invalid UTF-8 is not a sentence");
      await sendInvalid(session, invalid);
      await answerEach(session, stayer, texts.slice(half), " as the writes of invalid UTF-8 before and while it was served are no sentences");
    },
  }),
  check({
    id: "CAP-UTF8-INVALID-ISOLATION",
    servers: "fresh",
    inputs: fc.tuple(arb.invalidUtf8(capitalizer), sentence, sentence),
    run: async (session, [invalid, first, second]) => {
      await sendInvalid(session, invalid);
      const stayer = await session.connect(" after another client's write of invalid UTF-8");
      await answerEach(session, stayer, [first], " after another client sent invalid UTF-8");
      await sendInvalid(session, invalid);
      await answerEach(session, stayer, [second], " after another client sent invalid UTF-8 while it was connected");
    },
  }),
  check({
    id: "CAP-UTF8-INVALID-CLOSE",
    servers: "fresh",
    inputs: arb.invalidUtf8(capitalizer),
    run: async (session, invalid) => {
      const conn = await session.connect();
      conn.send(invalid);
      const { closed } = await conn.waitClosed(session.timeouts.replyMs);
      if (!closed)
        session.fail(`${conn.label} to be closed after a write of invalid UTF-8`, { silent: `it was still open after ${session.timeouts.replyMs} ms` });
    },
  }),
  fuzzSurvive,
];
