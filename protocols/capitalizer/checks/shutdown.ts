import { fc, type RuleCheck } from "../../../kit/index.js";
import { expectedReply } from "../spec/index.js";
import type { CapitalizerRuleId } from "../spec/rule-ids.js";
import { answerText, check } from "./session.js";
import { answerEach, quota, quotaSentences, sentence, shutdownRequest } from "./shared.js";

/** Messages close to the shutdown request that are not it, so sentences (CAP-SHUTDOWN-EXACT). */
const nearShutdownRequest = fc.constantFrom(
  ...["\n", "\r\n", " ", "."].map((after) => shutdownRequest + after),
  ` ${shutdownRequest}`,
  shutdownRequest.toLowerCase(),
  shutdownRequest.replace(" ", "  "),
);

/** The shutdown request. */
export const shutdownChecks: Array<RuleCheck<CapitalizerRuleId>> = [
  check({
    id: "CAP-SHUTDOWN-CLOSE",
    servers: "fresh",
    inputs: fc.array(sentence, { maxLength: 3 }),
    run: async (session, texts) => {
      const c1 = await session.connect();
      await answerEach(session, c1, texts);
      session.sendShutdown(c1);
      await session.expectClosed(c1, "after the shutdown request");
    },
  }),
  check({
    id: "CAP-SHUTDOWN-NO-COUNT",
    servers: "fresh",
    inputs: fc.tuple(fc.array(sentence, { maxLength: 3 }), quotaSentences),
    run: async (session, [before, texts]) => {
      const [c1, c2] = [await session.connect(), await session.connect()];
      // c2 is served first: a server that stops accepting when c1 leaves cannot then fail this rule.
      await answerEach(session, c2, texts.slice(0, 1));
      await answerEach(session, c1, before);
      session.sendShutdown(c1);
      await c1.waitClosed(session.timeouts.replyMs);
      const rest = texts.slice(1 + before.length);
      await answerEach(session, c2, rest, ` as the shutdown request is not a sentence (${quota - rest.length} answered before it)`);
    },
  }),
  check({
    id: "CAP-SHUTDOWN-EXACT",
    servers: "fresh",
    inputs: fc.tuple(nearShutdownRequest, quotaSentences),
    run: async (session, [near, texts]) => {
      const c1 = await session.connect();
      const result = await session.say(c1, near);
      if (answerText(result) !== expectedReply(near))
        session.fail(`${JSON.stringify(expectedReply(near))}: ${JSON.stringify(near)} is a sentence, not the shutdown request`, result);
      const rest = texts.slice(1);
      await answerEach(session, c1, rest, " after a message close to the shutdown request");
      await session.expectLimitNotice(c1, texts[0]!, ` after ${quota} sentences, the first of them ${JSON.stringify(near)}`);
    },
  }),
];
