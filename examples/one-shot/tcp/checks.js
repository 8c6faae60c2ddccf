// @ts-check
// A check per rule of spec/protocol.json: each quotes nothing, the rule's statement is in the spec.
import { checkRecorder, defineChecks, TcpConnection, Conversation } from "sockspec/kit";
import { sentences, upperAscii } from "../sentences.js";

/**
 * Clients' conversations with one server: each connects, sends a sentence and reads the reply, as the
 * textbook's TCPClient.py does. Everything on the wire is recorded for the report.
 */
class OneShotTcpSession extends Conversation {
  /**
   * @param {import("sockspec/kit").ServerHandle} server
   * @param {import("sockspec/kit").CheckContext} ctx
   */
  constructor(server, ctx) {
    super(ctx.timeouts, checkRecorder(ctx.spec.protocol));
    this.server = server;
    this.ctx = ctx;
    /** @type {TcpConnection[]} */
    this.connections = [];
  }

  /**
   * Connects as client `label`, sends the sentence, and reads the reply: its text (complete at the
   * sentence's length, or when the server closes or pauses), or "" for none; the connection stays open.
   */
  async ask(/** @type {string} */ label, /** @type {string} */ sentence) {
    const connection = await TcpConnection.open(this.server.host, this.server.port, label, this.recorder, this.ctx.timeouts.replyMs);
    this.connections.push(connection);
    connection.send(sentence);
    const { replyMs, settleMs } = this.ctx.timeouts;
    const read = await connection.read({ timeoutMs: replyMs, settleMs, complete: (bytes) => bytes.length >= sentence.length });
    return { connection, reply: read.kind === "message" ? read.bytes.toString("latin1") : "" };
  }

  /** No reply in time, as a report words it: a timeout, not a wrong answer. */
  silence() {
    return { silent: `no reply within ${this.timeouts.replyMs} ms` };
  }

  closeAll() {
    for (const connection of this.connections) connection.close();
  }
}

/** Defines a check of this protocol: each property run talks to its server through a new session. */
const check = defineChecks((server, ctx) => new OneShotTcpSession(server, ctx));

/** @type {import("sockspec/kit").RuleCheck[]} */
export const oneShotTcpChecks = [
  check({
    id: "ONETCP-REPLY-UPPER",
    servers: "fresh",
    inputs: (spec) => sentences(spec.limits.maxSentenceBytes),
    run: async (session, sentence) => {
      const { reply } = await session.ask("c1", sentence);
      if (reply !== upperAscii(sentence)) session.fail(JSON.stringify(upperAscii(sentence)), reply === "" ? session.silence() : JSON.stringify(reply));
    },
  }),
  check({
    id: "ONETCP-CLOSE",
    servers: "fresh",
    inputs: (spec) => sentences(spec.limits.maxSentenceBytes),
    run: async (session, sentence) => {
      const { connection, reply } = await session.ask("c1", sentence);
      if (reply === "") session.fail("a reply, then the connection closed", session.silence());
      const { closed, bytes } = await connection.waitClosed(session.ctx.timeouts.replyMs);
      if (bytes.length > 0) session.fail("the connection closed after the reply", `more bytes: ${JSON.stringify(bytes.toString("latin1"))}`);
      if (!closed) session.fail("the connection closed after the reply", `still open ${session.ctx.timeouts.replyMs} ms after it`);
    },
  }),
  check({
    id: "ONETCP-NEXT-CLIENT",
    servers: "fresh",
    inputs: (spec) => sentences(spec.limits.maxSentenceBytes),
    run: async (session, sentence) => {
      // Three clients, one after another: the first may be the only one a broken server answers.
      for (const label of ["c1", "c2", "c3"]) {
        const { reply } = await session.ask(label, sentence).catch(() => ({ reply: "" }));
        if (reply === "") session.fail(`a reply to ${label} as to the clients before it`, session.silence());
      }
    },
  }),
];
