// What the capitalizer checks share: the spec's values they use, arbitraries and helpers.
import { fc, describeRead, type TcpConnection } from "../../../kit/index.js";
import { capitalizer } from "../spec/index.js";
import * as arb from "./arbitraries.js";
import type { CapitalizerSession } from "./session.js";

export const { quota, minConcurrentClients } = capitalizer.limits;
export const { replySuffix, limitNotice, busyNotice, shutdownRequest } = capitalizer.wireTexts;
export const sentence = arb.sentence(capitalizer);

/** Sends sentences on a connection one after the other, each of which must be answered. */
export async function answerEach(session: CapitalizerSession, conn: Parameters<CapitalizerSession["say"]>[0], sentences: string[], why = ""): Promise<void> {
  for (const text of sentences) await session.expectAnswered(conn, text, why);
}

export const quotaSentences = fc.array(sentence, { minLength: quota, maxLength: quota });

/** Requires every held connection to be open and quiet: below the limit no busy notice, no close. */
export async function expectHeld(session: CapitalizerSession, held: TcpConnection[], maxConnections: number): Promise<void> {
  const ended = held.find((conn) => !conn.quiet);
  if (!ended) return;
  const { closed, bytes } = await ended.waitClosed(session.timeouts.settleMs);
  // Opening them took longer than the idle timeout: a silent close of one left idle that long is the server
  // closing an idle connection, as it should, and the cap cannot be reached this way.
  if (closed && bytes.length === 0) session.excuseIdleClose(ended);
  const got = bytes.length > 0 ? `it was sent ${describeRead({ kind: "message", bytes }, session.timeouts)}` : "it was closed";
  session.fail(`${ended.label} to be held open, as one of ${maxConnections} connections${closed ? "" : " (nothing sent on it)"}`, got);
}
