import { setTimeout } from "node:timers/promises";
import { fc, loopbackAddress, NotCheckableError, type RuleCheck, type TcpConnection, malformedInput } from "../../../kit/index.js";
import type { CapitalizerRuleId } from "../spec/rule-ids.js";
import { answerText, check, type CapitalizerSession } from "./session.js";
import { answerEach, busyNotice, expectHeld, quota, quotaSentences, sentence } from "./shared.js";

const seconds = (ms: number) => `${ms / 1000} s`;

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

/** A client that resets at once, or writes the first bytes of a character and then closes or resets. */
const abruptEnding = fc.oneof(
  fc.constant({ reset: true, cut: undefined }),
  fc.record({ reset: fc.boolean(), cut: fc.constantFrom(...malformedInput.truncatedCharacters) }),
);

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

/**
 * Requires the busy notice on a connection, and its close. A held connection the server closed as idle
 * meanwhile (the check's process starved while it opened them) left room for the extra one: no failure can
 * rest on that.
 */
async function expectBusy(session: CapitalizerSession, held: readonly TcpConnection[], extra: TcpConnection, why: string): Promise<void> {
  const notice = await extra.read({
    complete: (bytes) => bytes.toString() === busyNotice,
    timeoutMs: session.timeouts.replyMs,
    settleMs: session.timeouts.settleMs,
  });
  if (answerText(notice) !== busyNotice) {
    for (const conn of held) if (conn.ended) session.excuseIdleClose(conn);
    session.fail(`the busy notice ${JSON.stringify(busyNotice)} on ${extra.label}, ${why}`, notice);
  }
  await session.expectClosed(extra, "after the busy notice");
}

/**
 * Requires the server to drop a connection it closed, whose client ignores the close, within closeGraceMs:
 * the server's FIN alone leaves it half-open, holding its slot, for as long as the client keeps it. Dropped,
 * the server's side is gone and a write of the client's is reset; half-open, the write is taken in. A
 * write that meets the reset succeeds all the same, and only the next one sees it: so it writes again,
 * at growing intervals, for up to the reply timeout.
 */
async function expectDropped(session: CapitalizerSession, conn: TcpConnection, closeGraceMs: number): Promise<void> {
  const { replyMs, settleMs } = session.timeouts;
  if (await conn.waitReleased(closeGraceMs + replyMs)) return;
  const deadline = performance.now() + replyMs;
  for (let pauseMs = settleMs; performance.now() < deadline; pauseMs *= 2) {
    conn.send("still there?");
    if (await conn.waitReleased(Math.min(pauseMs, deadline - performance.now()))) return;
  }
  session.fail(`${conn.label}, whose client ignores the server's close, to be dropped within ${closeGraceMs} ms of that close`, {
    silent: `writes on it from ${closeGraceMs + replyMs} ms after the close on were taken in, not reset, for ${replyMs} ms: the server keeps it half-open, holding its slot`,
  });
}

/** Connections: accepted after others end, ended abruptly, left idle, and how many at once. */
export const connectionChecks: Array<RuleCheck<CapitalizerRuleId>> = [
  check({
    id: "CAP-ACCEPT-AFTER-END",
    servers: "fresh",
    inputs: fc.array(fc.constantFrom("shutdown request", "disconnect"), { minLength: 4, maxLength: 4 }),
    run: async (session, endings) => {
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
    },
  }),
  check({
    id: "CAP-DISCONNECT-NO-COUNT",
    servers: "fresh",
    inputs: fc.array(fc.array(sentence, { maxLength: 2 }), { minLength: 1, maxLength: 3 }),
    run: async (session, leavers) => {
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
    },
  }),
  check({
    id: "CAP-ABRUPT-CLIENTS",
    servers: "fresh",
    inputs: fc.tuple(fc.array(abruptEnding, { minLength: 1, maxLength: 4 }), quotaSentences),
    run: async (session, [endings, texts]) => {
      const stayer = await session.connect();
      await session.expectAnswered(stayer, texts[0]!);
      for (const ending of endings) {
        const conn = await session.connect();
        if (ending.cut) conn.send(new Uint8Array(ending.cut));
        if (ending.reset) conn.reset();
        else conn.end();
      }
      // A client that connects after them is served only once the server has taken them (connections are
      // accepted in order): until it is, the run shows nothing about them.
      const witness = await session.connect();
      if ((await session.say(witness, texts[1]!)).kind === "silence")
        throw new NotCheckableError(
          `the server did not answer ${witness.label}, which connected after the ${endings.length} abrupt client(s), so no run showed that it took them (it serves one connection at a time: CAP-CONCURRENT-CLIENTS)`,
        );
      await answerEach(session, stayer, texts.slice(2), ` while ${endings.length} client(s) ended abruptly`);
    },
  }),
  check({
    id: "CAP-IDLE-TIMEOUT",
    // Each run waits out the idle timeout: one shows it.
    runs: "one",
    waitsMs: (limits) => limits.idleTimeoutMs! + limits.closeGraceMs!,
    servers: "fresh",
    inputs: fc.constant(null),
    run: async (session, _input, _server, ctx) => {
      const { idleTimeoutMs, closeGraceMs } = ctx.spec.limits;
      // Its client never closes its side, as one that holds slots does: only the server can free it.
      const conn = await session.connect("", undefined, true);
      ctx.waiting?.(`waiting out the ${seconds(idleTimeoutMs)} idle timeout`, idleTimeoutMs);
      const { closed } = await conn.waitClosed(idleTimeoutMs + session.timeouts.replyMs);
      if (!closed)
        session.fail(`${conn.label} to be closed after ${idleTimeoutMs} ms without a sentence`, {
          silent: `it was still open after ${idleTimeoutMs + session.timeouts.replyMs} ms`,
        });
      await expectDropped(session, conn, closeGraceMs);
      // A new client is taken, not turned away (a sentence would cost a shared server's quota).
      const next = await session.connect(` after ${conn.label} was dropped`);
      const { settleMs } = session.timeouts;
      const turnedAway = await next.read({ complete: (bytes) => bytes.toString() === busyNotice, timeoutMs: settleMs, settleMs });
      if (turnedAway.kind !== "silence") session.fail(`${next.label} to be taken after ${conn.label} was dropped`, turnedAway);
    },
  }),
  check({
    id: "CAP-CONNECTION-LIMIT",
    runs: "one",
    waitsMs: (limits) => limits.maxConnections!,
    servers: "fresh",
    inputs: sentence,
    run: async (session, text, server, ctx) => {
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
      await expectBusy(session, held, extra, `with ${maxConnections} connections open`);
      // The youngest held connection: the oldest may have been closed as idle meanwhile, as it should.
      await session.expectAnswered(held.at(-1)!, text, ` while ${maxConnections} connections are open`);
    },
  }),
  check({
    id: "CAP-CONNECTION-LIMIT-PER-ADDRESS",
    runs: "one",
    waitsMs: (limits) => limits.maxConnectionsPerAddress!,
    servers: "fresh",
    inputs: sentence,
    run: async (session, text, server, ctx) => {
      const { maxConnectionsPerAddress } = ctx.spec.limits;
      const [first, other] = [loopbackAddress(server.host, 0)!, loopbackAddress(server.host, 1)];
      if (other === undefined) throw new NotCheckableError("a client from another IP address needs a second loopback address, and IPv6 has one");
      const held = await holdConnections(session, maxConnectionsPerAddress, () => first, `from ${first}`);
      const extra = await session.connect(` (the one past ${maxConnectionsPerAddress} from ${first}, to be told the server is busy)`, first);
      await expectBusy(session, held, extra, `with ${maxConnectionsPerAddress} connections open from ${first}`);
      const stranger = await session.connect(` from ${other} while ${first} has ${maxConnectionsPerAddress} open`, other);
      await session.expectAnswered(stranger, text, ` from ${other}: one address must not take every slot`);
      await session.expectAnswered(held.at(-1)!, text, ` while ${maxConnectionsPerAddress} connections are open from ${first}`);
    },
  }),
];
