// @ts-check
// A check per rule of spec/protocol.json: the rule's statement is in the spec, the check falsifies it.
import { checkRecorder, defineChecks, fc, UdpClient, Conversation } from "sockspec/kit";
import { sentences, upperAscii } from "../sentences.js";

/** Clients' conversations with one server, from sockets of their own, everything on the wire recorded. */
class OneShotUdpSession extends Conversation {
  /**
   * @param {import("sockspec/kit").ServerHandle} server
   * @param {import("sockspec/kit").CheckContext} ctx
   */
  constructor(server, ctx) {
    super(ctx.timeouts, checkRecorder(ctx.spec.protocol));
    this.server = server;
    this.ctx = ctx;
    /** @type {UdpClient[]} */
    this.sockets = [];
  }

  /** A new client socket, `label` in the transcript. */
  async socket(/** @type {string} */ label) {
    const socket = await UdpClient.open(this.server.host, this.server.port, label, this.recorder);
    this.sockets.push(socket);
    return socket;
  }

  /** Sends a sentence and reads the reply: its text, or what came instead. */
  async ask(/** @type {UdpClient} */ socket, /** @type {string} */ sentence) {
    socket.send(sentence);
    const read = await socket.read(this.ctx.timeouts.replyMs);
    return read.kind === "message" ? { reply: read.bytes.toString("latin1") } : { missing: { silent: `no reply within ${this.timeouts.replyMs} ms` } };
  }

  closeAll() {
    for (const socket of this.sockets) socket.close();
  }
}

/** Defines a check of this protocol: each property run talks to its server through a new session. */
const check = defineChecks((server, ctx) => new OneShotUdpSession(server, ctx));

/** @type {import("sockspec/kit").RuleCheck[]} */
export const oneShotUdpChecks = [
  check({
    id: "ONEUDP-REPLY-UPPER",
    servers: "fresh",
    inputs: (spec) => sentences(spec.limits.maxSentenceBytes),
    run: async (session, sentence) => {
      const answer = await session.ask(await session.socket("s1"), sentence);
      if (answer.reply !== upperAscii(sentence)) session.fail(JSON.stringify(upperAscii(sentence)), answer.missing ?? JSON.stringify(answer.reply));
    },
  }),
  check({
    id: "ONEUDP-ONE-REPLY",
    servers: "fresh",
    inputs: (spec) => sentences(spec.limits.maxSentenceBytes),
    run: async (session, sentence) => {
      const socket = await session.socket("s1");
      const answer = await session.ask(socket, sentence);
      if (answer.missing) session.fail("one reply datagram", answer.missing);
      // A second datagram would come right after the first: the settle time is long enough for it.
      const extra = await socket.read(session.ctx.timeouts.settleMs);
      if (extra.kind === "message") session.fail("one reply datagram", `a second one too: ${JSON.stringify(extra.bytes.toString("latin1"))}`);
    },
  }),
  check({
    id: "ONEUDP-EACH-SENDER",
    servers: "fresh",
    inputs: (spec) => fc.array(fc.tuple(fc.integer({ min: 0, max: 2 }), sentences(spec.limits.maxSentenceBytes)), { minLength: 2, maxLength: 6 }),
    run: async (session, turns) => {
      // Three clients take turns in the order drawn; each must get the answer to its own sentence.
      const sockets = [await session.socket("s1"), await session.socket("s2"), await session.socket("s3")];
      for (const [who, sentence] of turns) {
        const answer = await session.ask(sockets[who], sentence);
        if (answer.missing) session.fail(`a reply to s${who + 1}`, answer.missing);
      }
    },
  }),
];
