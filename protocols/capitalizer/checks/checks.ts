import { setTimeout } from "node:timers/promises";
import fc from "fast-check";
import { capitalizer, expectedReply } from "../spec/index.js";
import { acceptedUpperCases, uppercaseTable } from "../spec/uppercase.js";
import { checkRecorder, everyRun, onePerServer, type CheckContext, type RuleState, type RuleCheck } from "../../../conformance/check.js";
import { failing } from "../../../conformance/conversation.js";
import * as arb from "./arbitraries.js";
import { SentenceChannel } from "./sentence-channel.js";
import { fuzzSurvive } from "./fuzz.js";
import { truncatedCharacters } from "../../../conformance/hostile.js";
import { describeRead } from "../../../conformance/describe.js";
import { answerText, capitalizerProperty, type CapitalizerSession } from "./session.js";
import type { TcpConnection } from "../../../transport/tcp-connection.js";
import { loopbackAddress } from "../../../transport/address.js";
import { NotCheckableError } from "../../../conformance/target.js";
import type { CapitalizerRuleId } from "../spec/rule-ids.js";

const { quota, minConcurrentClients } = capitalizer.limits;
const seconds = (ms: number) => `${ms / 1000} s`;
const { replySuffix, limitNotice, busyNotice, shutdownRequest } = capitalizer.wireTexts;
const sentence = arb.sentence(capitalizer);

/**
 * A property of the reply to one sentence, run over a channel that reuses servers across runs. `judge`
 * returns what was expected when the reply breaks the rule.
 */
function replyProperty(sentences: fc.Arbitrary<string>, judge: (sentence: string, reply: string) => string | undefined, exact = false): RuleCheck["property"] {
  return (ctx: CheckContext, state: RuleState) => {
    const channel = new SentenceChannel(ctx);
    state.cleanups.push(() => channel.close());
    return fc.asyncProperty(sentences, async (text) => {
      const recorder = checkRecorder("capitalizer");
      const result = await channel.say(text, recorder, exact);
      if (result === undefined) {
        state.vacuousRuns += 1;
        return;
      }
      const reply = answerText(result);
      const expected = reply === undefined ? `a reply to ${JSON.stringify(text)}` : judge(text, reply);
      if (expected !== undefined) failing(ctx.timeouts, recorder)(expected, result);
    });
  };
}

/** Sends sentences on a connection one after the other, each of which must be answered. */
async function answerEach(session: CapitalizerSession, conn: Parameters<CapitalizerSession["say"]>[0], sentences: string[], why = ""): Promise<void> {
  for (const text of sentences) await session.expectAnswered(conn, text, why);
}

const quotaSentences = fc.array(sentence, { minLength: quota, maxLength: quota });
/** Messages close to the shutdown request that are not it, so sentences (CAP-SHUTDOWN-EXACT). */
const nearShutdownRequest = fc.constantFrom(
  ...["\n", "\r\n", " ", "."].map((after) => shutdownRequest + after),
  ` ${shutdownRequest}`,
  shutdownRequest.toLowerCase(),
  shutdownRequest.replace(" ", "  "),
);
/** A client that resets at once, or writes the first bytes of a character and then closes or resets. */
const abruptEnding = fc.oneof(fc.constant({ reset: true, cut: undefined }), fc.record({ reset: fc.boolean(), cut: fc.constantFrom(...truncatedCharacters) }));

export const capitalizerChecks: Array<RuleCheck<CapitalizerRuleId>> = [
  {
    id: "CAP-REPLY-UPPER",
    runs: everyRun,
    // Right under any Unicode version the spec accepts: servers upper-case by their language's tables.
    property: replyProperty(sentence, (text, reply) => {
      const body = reply.endsWith(replySuffix) ? reply.slice(0, -replySuffix.length) : reply;
      const accepted = acceptedUpperCases(text);
      if (accepted.includes(body)) return undefined;
      const versions = uppercaseTable().versions;
      return accepted.length === 1
        ? `a reply beginning ${JSON.stringify(accepted[0])}`
        : `a reply beginning with one of ${accepted.map((a) => JSON.stringify(a)).join(", ")} (the upper-casings of Unicode ${versions[0]} to ${versions.at(-1)})`;
    }),
  },
  {
    id: "CAP-REPLY-SUFFIX",
    runs: everyRun,
    property: replyProperty(sentence, (_text, reply) => (reply.endsWith(replySuffix) ? undefined : `a reply ending ${JSON.stringify(replySuffix)}`)),
  },
  {
    id: "CAP-FRAME-ONE-WRITE",
    runs: everyRun,
    property: replyProperty(
      arb.framedSentence(capitalizer),
      (text, reply) => (reply === expectedReply(text) ? undefined : `exactly one reply, ${JSON.stringify(expectedReply(text))}`),
      true,
    ),
  },
  {
    id: "CAP-CONCURRENT-CLIENTS",
    runs: onePerServer,
    property: capitalizerProperty(
      fc.record({
        order: fc.shuffledSubarray([...Array(minConcurrentClients).keys()], { minLength: minConcurrentClients, maxLength: minConcurrentClients }),
        texts: fc.array(sentence, { minLength: minConcurrentClients, maxLength: minConcurrentClients }),
      }),
      async (session, { order, texts }) => {
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
    ),
  },
  {
    id: "CAP-QUOTA-LIMIT",
    runs: onePerServer,
    property: capitalizerProperty(fc.tuple(quotaSentences, sentence, sentence), async (session, [texts, over, other]) => {
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
    }),
  },
  {
    id: "CAP-QUOTA-CLOSE",
    runs: onePerServer,
    property: capitalizerProperty(fc.tuple(quotaSentences, sentence), async (session, [texts, over]) => {
      const c1 = await session.connect();
      await answerEach(session, c1, texts, ` within the quota of ${quota}`);
      await session.expectLimitNotice(c1, over, ` for sentence ${quota + 1}`);
      await session.expectClosed(c1, "after the limit notice");
    }),
  },
  {
    id: "CAP-QUOTA-SHARED",
    runs: onePerServer,
    property: capitalizerProperty(
      fc.integer({ min: 2, max: 4 }).chain((clients) =>
        fc.record({
          clients: fc.constant(clients),
          speakers: fc.array(fc.nat(clients - 1), { minLength: quota + 1, maxLength: quota + 1 }),
          texts: fc.array(sentence, { minLength: quota + 1, maxLength: quota + 1 }),
        }),
      ),
      async (session, { clients, speakers, texts }) => {
        const conns = [];
        for (let i = 0; i < clients; i++) conns.push(await session.connect());
        for (let n = 0; n < quota; n++) await session.expectAnswered(conns[speakers[n]!]!, texts[n]!, ` (sentence ${n + 1} of the server's ${quota})`);
        await session.expectLimitNotice(conns[speakers[quota]!]!, texts[quota]!, ` once ${quota} sentences were answered across ${clients} connections`);
      },
    ),
  },
  {
    id: "CAP-QUOTA-RACE",
    // A race shows only some of the time (about one run in ten against the original): every run counts.
    runs: everyRun,
    property: capitalizerProperty(fc.record({ clients: fc.constant(quota - 1), text: sentence }), async (session, { clients, text }) => {
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
    }),
  },
  {
    id: "CAP-SHUTDOWN-CLOSE",
    runs: onePerServer,
    property: capitalizerProperty(fc.array(sentence, { maxLength: 3 }), async (session, texts) => {
      const c1 = await session.connect();
      await answerEach(session, c1, texts);
      session.sendShutdown(c1);
      await session.expectClosed(c1, "after the shutdown request");
    }),
  },
  {
    id: "CAP-SHUTDOWN-NO-COUNT",
    runs: onePerServer,
    property: capitalizerProperty(fc.tuple(fc.array(sentence, { maxLength: 3 }), quotaSentences), async (session, [before, texts]) => {
      const [c1, c2] = [await session.connect(), await session.connect()];
      // c2 is served first: a server that stops accepting when c1 leaves cannot then fail this rule.
      await answerEach(session, c2, texts.slice(0, 1));
      await answerEach(session, c1, before);
      session.sendShutdown(c1);
      await c1.waitClosed(session.timeouts.replyMs);
      const rest = texts.slice(1 + before.length);
      await answerEach(session, c2, rest, ` as the shutdown request is not a sentence (${quota - rest.length} answered before it)`);
    }),
  },
  {
    id: "CAP-SHUTDOWN-EXACT",
    runs: onePerServer,
    property: capitalizerProperty(fc.tuple(nearShutdownRequest, quotaSentences), async (session, [near, texts]) => {
      const c1 = await session.connect();
      const result = await session.say(c1, near);
      if (answerText(result) !== expectedReply(near))
        session.fail(`${JSON.stringify(expectedReply(near))}: ${JSON.stringify(near)} is a sentence, not the shutdown request`, result);
      const rest = texts.slice(1);
      await answerEach(session, c1, rest, " after a message close to the shutdown request");
      await session.expectLimitNotice(c1, texts[0]!, ` after ${quota} sentences, the first of them ${JSON.stringify(near)}`);
    }),
  },
  {
    id: "CAP-ACCEPT-AFTER-END",
    runs: onePerServer,
    property: capitalizerProperty(fc.array(fc.constantFrom("shutdown request", "disconnect"), { minLength: 4, maxLength: 4 }), async (session, endings) => {
      for (const [i, ending] of endings.entries()) {
        const conn = await session.connect();
        await session.expectAnswered(conn, `client ${i + 1}`, i > 0 ? ` after the previous client's ${endings[i - 1]}` : "");
        if (ending === "shutdown request") {
          session.sendShutdown(conn);
          await conn.waitClosed(session.timeouts.replyMs);
        } else {
          conn.close();
        }
      }
    }),
  },
  {
    id: "CAP-DISCONNECT-NO-COUNT",
    runs: onePerServer,
    property: capitalizerProperty(fc.array(fc.array(sentence, { maxLength: 2 }), { minLength: 1, maxLength: 3 }), async (session, leavers) => {
      const stayer = await session.connect();
      const conns = [];
      for (let i = 0; i < leavers.length; i++) conns.push(await session.connect());
      let used = 0;
      for (const [i, texts] of leavers.entries()) {
        await answerEach(session, conns[i]!, texts);
        used += texts.length;
        conns[i]!.close();
      }
      const rest = Array.from({ length: quota - used }, (_, n) => `sentence ${n + 1}`);
      await answerEach(session, stayer, rest, ` as ${leavers.length} client(s) that disconnected used only ${used}`);
    }),
  },
  {
    id: "CAP-UTF8-INVALID-NO-COUNT",
    runs: onePerServer,
    property: capitalizerProperty(fc.tuple(arb.invalidUtf8(capitalizer), quotaSentences), async (session, [invalid, texts]) => {
      const [stayer, sender] = [await session.connect(), await session.connect()];
      sender.send(invalid);
      await answerEach(session, stayer, texts, " as a write of invalid UTF-8 is not a sentence");
    }),
  },
  {
    id: "CAP-UTF8-INVALID-ISOLATION",
    runs: onePerServer,
    property: capitalizerProperty(fc.tuple(arb.invalidUtf8(capitalizer), sentence, sentence), async (session, [invalid, first, second]) => {
      const [stayer, sender] = [await session.connect(), await session.connect()];
      sender.send(invalid);
      // The server may read the first sentence before the invalid write; by the second it has read both.
      await answerEach(session, stayer, [first, second], " after another client sent invalid UTF-8");
    }),
  },
  {
    id: "CAP-UTF8-INVALID-CLOSE",
    runs: onePerServer,
    property: capitalizerProperty(arb.invalidUtf8(capitalizer), async (session, invalid) => {
      const conn = await session.connect();
      conn.send(invalid);
      const { closed } = await conn.waitClosed(session.timeouts.replyMs);
      if (!closed)
        session.fail(`${conn.label} to be closed after a write of invalid UTF-8`, { silent: `it was still open after ${session.timeouts.replyMs} ms` });
    }),
  },
  {
    id: "CAP-ABRUPT-CLIENTS",
    runs: onePerServer,
    property: capitalizerProperty(fc.tuple(fc.array(abruptEnding, { minLength: 1, maxLength: 4 }), quotaSentences), async (session, [endings, texts]) => {
      const stayer = await session.connect();
      await session.expectAnswered(stayer, texts[0]!);
      for (const ending of endings) {
        const conn = await session.connect();
        if (ending.cut) conn.send(new Uint8Array(ending.cut));
        if (ending.reset) conn.reset();
        else conn.end();
      }
      await answerEach(session, stayer, texts.slice(1), ` while ${endings.length} client(s) ended abruptly`);
    }),
  },
  {
    id: "CAP-FUZZ-SURVIVE",
    runs: everyRun,
    property: fuzzSurvive,
  },
  {
    id: "CAP-IDLE-TIMEOUT",
    // Each run waits out the idle timeout: one shows it.
    runs: () => 1,
    waitsMs: (limits) => limits.idleTimeoutMs!,
    property: capitalizerProperty(fc.constant(null), async (session, _input, _server, ctx) => {
      const { idleTimeoutMs } = ctx.spec.limits;
      const conn = await session.connect();
      ctx.waiting?.(`waiting out the ${seconds(idleTimeoutMs)} idle timeout`, idleTimeoutMs);
      const { closed } = await conn.waitClosed(idleTimeoutMs + session.timeouts.replyMs);
      if (!closed)
        session.fail(`${conn.label} to be closed after ${idleTimeoutMs} ms without a sentence`, {
          silent: `it was still open after ${idleTimeoutMs + session.timeouts.replyMs} ms`,
        });
    }),
  },
  {
    id: "CAP-CONNECTION-LIMIT",
    runs: () => 1,
    waitsMs: (limits) => limits.maxConnections!,
    property: capitalizerProperty(sentence, async (session, text, server, ctx) => {
      const { maxConnections, maxConnectionsPerAddress } = ctx.spec.limits;
      // Spread over as many loopback addresses as the per-address cap needs, so that only the total cap applies.
      const from = (n: number) => {
        const address = loopbackAddress(server.host, Math.floor(n / maxConnectionsPerAddress));
        if (address === undefined) throw new NotCheckableError(`${maxConnections} connections need more than one loopback address, and IPv6 has one`);
        return address;
      };
      ctx.waiting?.(`opening ${maxConnections} connections, paced to what the server accepts`, maxConnections);
      const held = await holdConnections(session, maxConnections, from, `of ${maxConnections} open`);
      const extra = await session.connect(` (the one past ${maxConnections}, to be told the server is busy)`, from(maxConnections));
      await expectBusy(session, extra, `with ${maxConnections} connections open`);
      // The youngest held connection: the oldest may have been closed as idle meanwhile, as it should.
      await session.expectAnswered(held.at(-1)!, text, ` while ${maxConnections} connections are open`);
    }),
  },
  {
    id: "CAP-CONNECTION-LIMIT-PER-ADDRESS",
    runs: () => 1,
    waitsMs: (limits) => limits.maxConnectionsPerAddress!,
    property: capitalizerProperty(sentence, async (session, text, server, ctx) => {
      const { maxConnectionsPerAddress } = ctx.spec.limits;
      const [first, other] = [loopbackAddress(server.host, 0)!, loopbackAddress(server.host, 1)];
      if (other === undefined) throw new NotCheckableError("a client from another IP address needs a second loopback address, and IPv6 has one");
      const held = await holdConnections(session, maxConnectionsPerAddress, () => first, `from ${first}`);
      const extra = await session.connect(` (the one past ${maxConnectionsPerAddress} from ${first}, to be told the server is busy)`, first);
      await expectBusy(session, extra, `with ${maxConnectionsPerAddress} connections open from ${first}`);
      const stranger = await session.connect(` from ${other} while ${first} has ${maxConnectionsPerAddress} open`, other);
      await session.expectAnswered(stranger, text, ` from ${other}: one address must not take every slot`);
      await session.expectAnswered(held.at(-1)!, text, ` while ${maxConnectionsPerAddress} connections are open from ${first}`);
    }),
  },
];

/** Opens `count` connections (from the address `from` gives each), paced; below a cap none may be told the server is busy. */
async function holdConnections(session: CapitalizerSession, count: number, from: (n: number) => string, what: string): Promise<TcpConnection[]> {
  const held: TcpConnection[] = [];
  const pace = new ConnectPacer();
  for (let n = 0; n < count; n++) {
    held.push(await pace.connect(() => session.connect(` (${n} ${what})`, from(n))));
    // A server whose cap is lower says so on one of them: stop at the first.
    if (n % 64 === 63 || n === count - 1) await expectHeld(session, held, count);
  }
  return held;
}

/** Requires the busy notice on a connection, and its close. */
async function expectBusy(session: CapitalizerSession, extra: TcpConnection, why: string): Promise<void> {
  const notice = await extra.read({
    complete: (bytes) => bytes.toString() === busyNotice,
    timeoutMs: session.timeouts.replyMs,
    settleMs: session.timeouts.settleMs,
  });
  if (answerText(notice) !== busyNotice) session.fail(`the busy notice ${JSON.stringify(busyNotice)} on ${extra.label}, ${why}`, notice);
  await session.expectClosed(extra, "after the busy notice");
}

/** Requires every held connection to be open and quiet: below the limit no busy notice, no close. */
async function expectHeld(session: CapitalizerSession, held: TcpConnection[], maxConnections: number): Promise<void> {
  const ended = held.find((conn) => !conn.quiet);
  if (!ended) return;
  const { closed, bytes } = await ended.waitClosed(session.timeouts.settleMs);
  // Opening them took longer than the idle timeout: a silent close of one left idle that long is the server
  // closing an idle connection, as it should, and the cap cannot be reached this way.
  if (closed && bytes.length === 0) session.excuseIdleClose(ended);
  const got = bytes.length > 0 ? `it was sent ${describeRead({ kind: "message", bytes }, session.timeouts)}` : "it was closed";
  session.fail(`${ended.label} to be held open, as one of ${maxConnections} connections${closed ? "" : " (nothing sent on it)"}`, got);
}

/**
 * Opens connections one after another as fast as the server takes them. A server with a short listen
 * backlog drops the SYNs it has no room for, and each drop costs the client a second-long retransmit; a
 * connect that took that long widens the gap between connects (doubling, up to MAX_GAP_MS).
 */
class ConnectPacer {
  private static readonly RETRANSMIT_MS = 200;
  private static readonly MAX_GAP_MS = 50;
  private gapMs = 0;

  async connect<T>(open: () => Promise<T>): Promise<T> {
    if (this.gapMs > 0) await setTimeout(this.gapMs);
    const started = performance.now();
    const opened = await open();
    if (performance.now() - started > ConnectPacer.RETRANSMIT_MS) this.gapMs = Math.min(ConnectPacer.MAX_GAP_MS, Math.max(1, this.gapMs * 2));
    return opened;
  }
}
