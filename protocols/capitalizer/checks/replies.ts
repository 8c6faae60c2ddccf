import { fc, type CheckContext, checkRecorder, failing, type RuleCheck, type RuleState } from "../../../kit/index.js";
import { capitalizer, expectedReply } from "../spec/index.js";
import type { CapitalizerRuleId } from "../spec/rule-ids.js";
import { acceptedUpperCases, uppercaseTable } from "../spec/uppercase.js";
import * as arb from "./arbitraries.js";
import { SentenceChannel } from "./sentence-channel.js";
import { answerText, check } from "./session.js";
import { limitNotice, minConcurrentClients, replySuffix, sentence } from "./shared.js";

/**
 * A run that sends one sentence over the check's channel and judges the reply: `judge` returns what was
 * expected when the reply breaks the rule. An `exact` read ends only on the very reply a correct server
 * gives, so that a second reply following the first is read with it.
 */
function judgeReply(judge: (sentence: string, reply: string) => string | undefined, exact = false) {
  return async (channel: SentenceChannel, text: string, ctx: CheckContext, state: RuleState) => {
    const recorder = checkRecorder("capitalizer");
    const result = await channel.say(text, recorder, exact);
    if (result === undefined) {
      state.vacuousRuns += 1;
      return;
    }
    const reply = answerText(result);
    const expected = reply === undefined ? `a reply to ${JSON.stringify(text)}` : judge(text, reply);
    if (expected !== undefined) failing(ctx.timeouts, recorder)(expected, result);
  };
}

/** The check's one channel, which reuses servers across its runs, so that a run costs a sentence, not a server. */
const sentenceChannel = (ctx: CheckContext) => new SentenceChannel(ctx);

/** The replies: upper-cased, with their suffix, one per write, to clients side by side. */
export const replyChecks: Array<RuleCheck<CapitalizerRuleId>> = [
  check({
    id: "CAP-REPLY-UPPER",
    servers: "per-check",
    inputs: sentence,
    open: sentenceChannel,
    // Right under any Unicode version the spec accepts: servers upper-case by their language's tables.
    run: judgeReply((text, reply) => {
      const body = reply.endsWith(replySuffix) ? reply.slice(0, -replySuffix.length) : reply;
      const accepted = acceptedUpperCases(text);
      if (accepted.includes(body)) return undefined;
      const versions = uppercaseTable().versions;
      return accepted.length === 1
        ? `a reply beginning ${JSON.stringify(accepted[0])}`
        : `a reply beginning with one of ${accepted.map((a) => JSON.stringify(a)).join(", ")} (the upper-casings of Unicode ${versions[0]} to ${versions.at(-1)})`;
    }),
  }),
  check({
    id: "CAP-REPLY-SUFFIX",
    servers: "per-check",
    inputs: sentence,
    open: sentenceChannel,
    run: judgeReply((_text, reply) => (reply.endsWith(replySuffix) ? undefined : `a reply ending ${JSON.stringify(replySuffix)}`)),
  }),
  check({
    id: "CAP-FRAME-ONE-WRITE",
    servers: "per-check",
    inputs: arb.framedSentence(capitalizer),
    open: sentenceChannel,
    run: judgeReply((text, reply) => (reply === expectedReply(text) ? undefined : `exactly one reply, ${JSON.stringify(expectedReply(text))}`), true),
  }),
  check({
    id: "CAP-CONCURRENT-CLIENTS",
    servers: "fresh",
    inputs: fc.record({
      order: fc.shuffledSubarray([...Array(minConcurrentClients).keys()], { minLength: minConcurrentClients, maxLength: minConcurrentClients }),
      texts: fc.array(sentence, { minLength: minConcurrentClients, maxLength: minConcurrentClients }),
    }),
    run: async (session, { order, texts }) => {
      session.judgesConcurrency = true;
      const conns = [];
      for (let i = 0; i < minConcurrentClients; i++) conns.push(await session.connect());
      // One at a time in a random order, then all at once.
      for (const i of order) await session.expectAnswered(conns[i]!, texts[i]!, ` while ${minConcurrentClients} connections are open`);
      const answers = await Promise.all(conns.map((conn, i) => session.say(conn, texts[i]!)));
      answers.forEach((answer, i) => {
        const reply = answerText(answer);
        if (reply === undefined || reply === limitNotice) session.fail(`c${i + 1}'s sentence to be answered when all send at once`, answer);
      });
    },
  }),
];
