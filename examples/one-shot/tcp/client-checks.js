// @ts-check
// A check per client rule of spec/protocol.json: the kit plays the server, scripted for each case, and
// starts the client under test against it (`sockspec check-client --protocol examples/one-shot/tcp`).
import { defineClientChecks, fc } from "sockspec/kit";
import { sentences, upperAscii } from "../sentences.js";

const check = defineClientChecks();

/** Where a reply is cut into pieces, and how long each waits for the next. */
const cuts = fc.array(fc.record({ at: fc.nat(), delayMs: fc.integer({ min: 50, max: 150 }) }), { minLength: 1, maxLength: 3 });

/** @type {import("sockspec/kit").ClientRuleCheck[]} */
export const oneShotTcpClientChecks = [
  check({
    id: "ONETCPC-SEND-EXACT",
    inputs: (spec) => sentences(spec.limits.maxSentenceBytes),
    run: async (session, sentence) => {
      session.do("sentence", { text: sentence });
      const conn = await session.accept();
      const { replyMs, settleMs } = session.timeouts;
      const read = await conn.read({ timeoutMs: replyMs, settleMs, complete: (bytes) => bytes.length >= sentence.length });
      const sent = read.kind === "message" ? JSON.stringify(read.bytes.toString("latin1")) : read.kind === "closed" ? "nothing before it closed" : "nothing";
      if (read.kind !== "message" || read.bytes.toString("latin1") !== sentence) session.fail(`exactly ${JSON.stringify(sentence)}`, `it sent ${sent}`);
      await conn.write(Buffer.from(upperAscii(sentence), "latin1"));
      conn.close();
    },
  }),
  check({
    id: "ONETCPC-SHOW-REPLY",
    inputs: (spec) => fc.record({ sentence: sentences(spec.limits.maxSentenceBytes).filter((s) => s.length > 1), pieces: cuts }),
    run: async (session, { sentence, pieces }) => {
      session.do("sentence", { text: sentence });
      const conn = await session.accept();
      await conn.read({ timeoutMs: session.timeouts.replyMs, settleMs: session.timeouts.settleMs, complete: (bytes) => bytes.length >= sentence.length });
      const reply = upperAscii(sentence);
      // Cut within the reply, so that every piece holds some of it.
      await conn.write(
        Buffer.from(reply, "latin1"),
        pieces.map(({ at, delayMs }) => ({ at: 1 + (at % (reply.length - 1)), delayMs })),
      );
      conn.close();
      if (!(await session.shows(reply)))
        session.fail(
          `the whole reply ${JSON.stringify(reply)} shown (sent in ${pieces.length + 1} pieces)`,
          `its output: ${JSON.stringify(session.client.stdout)}`,
        );
    },
  }),
];
