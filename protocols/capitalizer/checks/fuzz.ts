import { fc, count, type TcpConnection, malformedInput } from "../../../kit/index.js";
import { capitalizer, expectedReply, isWholeAnswer, maxAnswerBytes } from "../spec/index.js";
import { sentence } from "./arbitraries.js";
import { answerText, check } from "./session.js";

const { maxSentenceBytes } = capitalizer.limits;
const { shutdownRequest, limitNotice } = capitalizer.wireTexts;
/** Hostile writes per property run, at most: lengths up to it come evenly, so the default 100 runs make over 10,000. */
export const FUZZ_BATCH = 250;
const LARGE_WRITE = 64 * 1024;

/** 64 KiB in one write, printed by its size rather than its bytes. */
const largeWrite = fc
  .constantFrom("a", "ß", "\0")
  .map((fill) => Object.assign(new Uint8Array(Buffer.alloc(LARGE_WRITE, fill)), { [fc.toStringMethod]: () => `64 KiB of ${JSON.stringify(fill)}` }));

/** What a careless or malicious client writes, and some well-formed sentences among it. */
export const malformedWrite: fc.Arbitrary<string | Uint8Array> = fc.oneof(
  malformedInput.invalidUtf8(maxSentenceBytes),
  fc
    .tuple(sentence(capitalizer, 20), fc.constantFrom(...malformedInput.truncatedCharacters))
    .map(([text, cut]) => new Uint8Array(Buffer.concat([Buffer.from(text), Buffer.from(cut)]))),
  malformedInput.withNul,
  malformedInput.randomBytes,
  largeWrite,
  fc.constantFrom(shutdownRequest.slice(0, 8), `${shutdownRequest}\0`, shutdownRequest.toLowerCase(), ` ${shutdownRequest}`),
  { arbitrary: sentence(capitalizer, 20), weight: 2 },
);

/**
 * CAP-FUZZ-SURVIVE: malformed writes, each on the current connection or a new one once the server closed it
 * or went quiet, then a sentence on a new connection, which must be answered with its reply or the limit
 * notice. Replies to the malformed writes are not judged here: other rules do.
 */
export const fuzzSurvive = check({
  id: "CAP-FUZZ-SURVIVE",
  runs: "every",
  servers: "fresh",
  inputs: fc.array(malformedWrite, { minLength: 1, maxLength: FUZZ_BATCH, size: "max" }),
  run: async (session, writes, _server, _ctx, ruleState) => {
    let conn: TcpConnection | undefined;
    let written = 0;
    for (const write of writes) {
      conn ??= await session.tryConnect();
      if (!conn) break; // refused: the liveness check below says so
      conn.send(write);
      written += 1;
      // What comes back is not judged, so a server that hangs on a write costs a pause, not the reply timeout.
      const { settleMs } = session.timeouts;
      const answer = await conn.read({ complete: (bytes) => isWholeAnswer(bytes), timeoutMs: settleMs, settleMs, maxBytes: maxAnswerBytes() });
      if (answer.kind !== "message" || answer.overflow) {
        conn.close();
        conn = undefined;
      }
    }
    conn?.close();
    count(ruleState, "malformed writes", written);
    const probe = "still there?";
    const after = ` on a new connection after ${written} malformed write(s)`;
    const last = await session.connect(after);
    const result = await session.say(last, probe);
    const answer = answerText(result);
    if (answer !== expectedReply(probe) && answer !== limitNotice) session.fail(`the reply to ${JSON.stringify(probe)} or the limit notice${after}`, result);
  },
});
