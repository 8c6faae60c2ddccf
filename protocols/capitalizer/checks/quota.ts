import { fc, type RuleCheck } from "../../../kit/index.js";
import type { CapitalizerRuleId } from "../spec/rule-ids.js";
import { answerText, check } from "./session.js";
import { answerEach, limitNotice, quota, quotaSentences, replySuffix, sentence } from "./shared.js";

/** The quota of sentences the whole server answers, and what comes after it. */
export const quotaChecks: Array<RuleCheck<CapitalizerRuleId>> = [
  check({
    id: "CAP-QUOTA-LIMIT",
    servers: "fresh",
    inputs: fc.tuple(quotaSentences, sentence, sentence),
    run: async (session, [texts, over, other]) => {
      const [c1, c2] = [await session.connect(), await session.connect()];
      // c2 is served first: a server that stops accepting when c1 is closed cannot then fail this rule.
      await answerEach(session, c2, texts.slice(0, 1), ` within the quota of ${quota}`);
      const c3 = await session.connect();
      await answerEach(session, c3, texts.slice(1, 2), ` within the quota of ${quota}`);
      await answerEach(session, c1, texts.slice(2), ` within the quota of ${quota}`);
      await session.expectLimitNotice(c1, over, ` for sentence ${quota + 1}`);
      // What a client used is not given back when it leaves: the quota is for the server's whole life. (No new
      // connection is asked for: that is CAP-ACCEPT-AFTER-END's to judge, and the original's accept races with it.)
      c3.close();
      await session.expectLimitNotice(c2, other, ` on another connection after the quota, once ${c3.label}, which used some of it, left`);
    },
  }),
  check({
    id: "CAP-QUOTA-CLOSE",
    servers: "fresh",
    inputs: fc.tuple(quotaSentences, sentence),
    run: async (session, [texts, over]) => {
      const c1 = await session.connect();
      await answerEach(session, c1, texts, ` within the quota of ${quota}`);
      await session.expectLimitNotice(c1, over, ` for sentence ${quota + 1}`);
      await session.expectClosed(c1, "after the limit notice");
    },
  }),
  check({
    id: "CAP-QUOTA-SHARED",
    servers: "fresh",
    inputs: fc.integer({ min: 2, max: 4 }).chain((clients) =>
      fc.record({
        clients: fc.constant(clients),
        speakers: fc.array(fc.nat(clients - 1), { minLength: quota + 1, maxLength: quota + 1 }),
        texts: fc.array(sentence, { minLength: quota + 1, maxLength: quota + 1 }),
      }),
    ),
    run: async (session, { clients, speakers, texts }) => {
      const conns = [];
      for (let i = 0; i < clients; i++) conns.push(await session.connect());
      for (let n = 0; n < quota; n++) await session.expectAnswered(conns[speakers[n]!]!, texts[n]!, ` (sentence ${n + 1} of the server's ${quota})`);
      await session.expectLimitNotice(conns[speakers[quota]!]!, texts[quota]!, ` once ${quota} sentences were answered across ${clients} connections`);
    },
  }),
  check({
    id: "CAP-QUOTA-RACE",
    // A race shows only some of the time (about one run in ten against the original): every run counts.
    runs: "every",
    servers: "fresh",
    inputs: fc.record({ clients: fc.constant(quota - 1), text: sentence }),
    run: async (session, { clients, text }) => {
      // Every client is served once first, so all are surely accepted; then all race for the last sentence.
      const conns = [];
      for (let i = 0; i < clients; i++) {
        const conn = await session.connect();
        await session.expectAnswered(conn, text, " before the race");
        conns.push(conn);
      }
      let answered = clients;
      await Promise.all(
        conns.map(async (conn) => {
          for (;;) {
            const answer = await session.say(conn, text);
            const reply = answerText(answer);
            if (reply === limitNotice) return;
            // One reply ends with the suffix and holds it once: a reply cut short or run together with another shows.
            const single = reply !== undefined && reply.endsWith(replySuffix) && reply.indexOf(replySuffix) === reply.length - replySuffix.length;
            if (!single) session.fail(`${conn.label} to get one whole reply or the limit notice`, answer);
            answered += 1;
          }
        }),
      );
      if (answered !== quota) session.fail(`exactly ${quota} sentences answered in all when ${clients} clients race for the last one`, `${answered} answered`);
    },
  }),
];
