import net from "node:net";
import { setTimeout } from "node:timers/promises";
import { capitalizer } from "../spec/index.js";
import { type BrokenServer, decodeUtf8 } from "../../../kit/index.js";
import type { CapitalizerRuleId } from "../spec/rule-ids.js";

/** One defect each: what a deliberately broken capitalizer gets wrong. */
export interface Defects {
  /** Upper-cases only a-z. */
  asciiUpper?: boolean;
  /** Sends replies without the reply suffix. */
  noSuffix?: boolean;
  /** Leaves the suffix off a connection's fourth and later replies to sentences that are not plain ASCII. */
  suffixLostLater?: boolean;
  /** Reads with a buffer of this many bytes: a longer write is answered piece by piece. */
  readBufferBytes?: number;
  /** Works on one sentence at a time, and turns one that comes meanwhile on another connection away with the limit notice. */
  oneSentenceAtATime?: boolean;
  /** Answers this many sentences instead of the quota. */
  answers?: number;
  /** Counts the quota per connection instead of for the whole server. */
  quotaPerConnection?: boolean;
  /** Gives the third and later connections of a burst (accepted with no sentence answered in between) a counter of their own. */
  ownCounterInBursts?: boolean;
  /** Once one client has had the limit notice, goes on answering the first client to speak if it spoke before the first client to connect. */
  exemptsEarlySpeaker?: boolean;
  /** Keeps the connection open after the limit notice when it is the only client the server ever had. */
  keepsSoleClientOpen?: boolean;
  /** Checks the quota and counts the sentence in separate steps, with a pause between them. */
  racyQuota?: boolean;
  /** Takes the shutdown request as a sentence. */
  shutdownIsSentence?: boolean;
  /** Takes the shutdown request with whitespace around it for the shutdown request. */
  shutdownTrimmed?: boolean;
  /** Says goodbye before it closes the connection on the shutdown request. */
  saysGoodbye?: boolean;
  /** Counts the shutdown request against the quota (it still closes without a reply). */
  countsShutdown?: boolean;
  /** Stops listening once a client has sent the shutdown request. */
  stopsAcceptingAfterShutdown?: boolean;
  /** Counts a client's disconnect as a sentence, as the original does. */
  countsDisconnect?: boolean;
  /** Gives the sentences of a client that leaves before it is told of the limit back to the quota. */
  refundsDeparted?: boolean;
  /**
   * What it does with a write that is not UTF-8 (one merely cut short at its end is left to the base):
   * "crash" stops the whole server; "answer" answers it as a sentence; "count" counts it, then closes;
   * "keep-open" ignores it and keeps the connection; "disturb-others" closes it and drops the next sentence
   * of every other client connected at the time.
   */
  invalidUtf8?: "crash" | "answer" | "count" | "keep-open" | "disturb-others";
  /** Counts a connection reset (RST) by the client as a sentence. */
  countsResets?: boolean;
  /** Stops (closes its listener and every connection, as a crash would) on a write with a NUL byte. */
  stopsOnNul?: boolean;
  /** Never closes an idle connection. */
  noIdleTimeout?: boolean;
  /** Closes an idle connection with its FIN only, never dropping it: a client that ignores the FIN keeps it. */
  idleHalfClose?: boolean;
  /** Takes every connection, without the busy notice. */
  noConnectionLimit?: boolean;
  /** Lets one address open as many connections as the total cap allows. */
  noPerAddressLimit?: boolean;
}

/**
 * The idle timeout, close grace and connection caps the broken servers run with; tests give them to the runner as the
 * target's limits. The idle timeout is well above the reply timeout the tests use, so that a connection a
 * defect keeps open is not closed as idle while a check waits for its close, and above the longest a check
 * leaves a connection alone on a loaded machine (CAP-QUOTA-LIMIT's first client, while the other is served
 * nine times); a connection closed as idle leaves its rule not checked.
 */
export const brokenCapitalizerLimits = { idleTimeoutMs: 2500, closeGraceMs: 500, maxConnections: 16, maxConnectionsPerAddress: 12 };

/** How long a defect that needs sentences to overlap (a race, a busy worker) works on each one. */
const WORK_MS = 5;

/** Closes an idle connection as the reference does: the FIN, then the connection dropped closeGraceMs later. */
function closeIdle(socket: net.Socket): void {
  socket.end();
  const drop = globalThis.setTimeout(() => socket.destroy(), brokenCapitalizerLimits.closeGraceMs);
  socket.once("close", () => clearTimeout(drop));
}

/** Whether a write that is not UTF-8 is only cut short: the start of a character at its end, as an abrupt client leaves. */
function cutShort(bytes: Uint8Array): boolean {
  try {
    new TextDecoder("utf-8", { fatal: true }).decode(bytes, { stream: true });
    return true;
  } catch {
    return false;
  }
}

interface Client {
  socket: net.Socket;
  /** The quota counter its sentences count against. */
  counter: { used: number };
  replies: number;
  /** Its next sentence goes unanswered. */
  disturbed: boolean;
  /** It was sent the limit notice. */
  told?: boolean;
}

/** A capitalizer server with exactly the given defects; with none it behaves like the reference. */
export function createBrokenCapitalizer(defects: Defects): net.Server {
  const { replySuffix, limitNotice, shutdownRequest, busyNotice } = capitalizer.wireTexts;
  const limit = defects.answers ?? capitalizer.limits.quota;
  const readBufferBytes = defects.readBufferBytes ?? capitalizer.limits.maxSentenceBytes;
  const clients = new Set<Client>();
  const shared = { used: 0 };
  let accepted = 0;
  let burst = 0;
  let firstToConnect: Client | undefined;
  let firstToSpeak: Client | undefined;
  let noticeGiven = false;
  let busyWith: Client | undefined;
  const upper = (text: string) => (defects.asciiUpper ? text.replace(/[a-z]/g, (c) => c.toUpperCase()) : text.toUpperCase());
  const crash = () => {
    server.close();
    for (const client of clients) client.socket.destroy();
  };

  const server = net.createServer((socket) => {
    if (!defects.noConnectionLimit && clients.size >= brokenCapitalizerLimits.maxConnections) return void socket.end(busyNotice);
    const fromThere = [...clients].filter((c) => c.socket.remoteAddress === socket.remoteAddress).length;
    if (!defects.noPerAddressLimit && fromThere >= brokenCapitalizerLimits.maxConnectionsPerAddress) return void socket.end(busyNotice);
    if (!defects.noIdleTimeout) socket.setTimeout(brokenCapitalizerLimits.idleTimeoutMs, () => (defects.idleHalfClose ? socket.end() : closeIdle(socket)));
    accepted += 1;
    burst += 1;
    const ownCounter = defects.quotaPerConnection || (defects.ownCounterInBursts && burst >= 3);
    const client: Client = { socket, counter: ownCounter ? { used: 0 } : shared, replies: 0, disturbed: false };
    clients.add(client);
    firstToConnect ??= client;
    let shutdown = false;

    const exempt = () => defects.exemptsEarlySpeaker === true && noticeGiven && client === firstToSpeak && firstToSpeak !== firstToConnect;
    const answer = async (sentence: string) => {
      if (client.disturbed) return void (client.disturbed = false);
      if (client.counter.used >= limit && !exempt()) {
        noticeGiven = true;
        client.told = true;
        if (defects.keepsSoleClientOpen && accepted === 1) return void socket.setTimeout(0).write(limitNotice);
        return void socket.end(limitNotice);
      }
      if (defects.oneSentenceAtATime) {
        if (busyWith && busyWith !== client) return void socket.end(limitNotice);
        busyWith = client;
      }
      if (defects.racyQuota) await setTimeout(WORK_MS);
      client.counter.used += 1;
      if (defects.oneSentenceAtATime) {
        await setTimeout(WORK_MS);
        busyWith = undefined;
      }
      burst = 0;
      firstToSpeak ??= client;
      client.replies += 1;
      const plain = /^[\x00-\x7f]*$/.test(sentence);
      const suffix = defects.noSuffix || (defects.suffixLostLater && client.replies >= 4 && !plain) ? "" : replySuffix;
      if (socket.writable) socket.write(upper(sentence) + suffix);
    };
    const onInvalidUtf8 = (bytes: Buffer) => {
      const mode = cutShort(bytes) ? undefined : defects.invalidUtf8;
      if (mode === "crash") return crash();
      if (mode === "answer") return void answer(bytes.toString("utf8"));
      if (mode === "keep-open") return;
      if (mode === "count") client.counter.used += 1;
      if (mode === "disturb-others") for (const other of clients) other.disturbed ||= other !== client;
      socket.destroy();
    };
    const onWrite = (bytes: Buffer) => {
      if (defects.stopsOnNul && bytes.includes(0)) return crash();
      const sentence = decodeUtf8(bytes);
      if (sentence === undefined) return onInvalidUtf8(bytes);
      const shutdownRequested = (defects.shutdownTrimmed ? sentence.trim() : sentence) === shutdownRequest;
      if (!shutdownRequested || defects.shutdownIsSentence) return void answer(sentence);
      shutdown = true;
      if (defects.countsShutdown) client.counter.used += 1;
      if (defects.stopsAcceptingAfterShutdown) server.close();
      if (defects.saysGoodbye) socket.end("Goodbye.");
      else socket.end();
    };

    socket.on("error", (error: NodeJS.ErrnoException) => {
      if (defects.countsResets && error.code === "ECONNRESET") client.counter.used += 1;
      socket.destroy();
    });
    socket.on("end", () => {
      if (defects.countsDisconnect && !shutdown) client.counter.used += 1;
      if (defects.refundsDeparted && !shutdown && !client.told) client.counter.used -= client.replies;
    });
    socket.on("close", () => clients.delete(client));
    socket.on("data", (chunk: Buffer) => {
      // Like the original's recv(maxSentenceBytes): a longer read is taken as successive sentences.
      for (let at = 0; at < chunk.length && !socket.destroyed; at += readBufferBytes) onWrite(chunk.subarray(at, at + readBufferBytes));
    });
  });
  return server;
}

/** The broken capitalizers the kit must catch, each with the rules it fails. */
export const brokenCapitalizers: Array<BrokenServer<Defects, CapitalizerRuleId>> = [
  // Only CAP-REPLY-UPPER judges the upper-casing of non-ASCII letters: the other checks that judge a reply's text send ASCII.
  { name: "ASCII-only upper-casing", defects: { asciiUpper: true }, fails: ["CAP-REPLY-UPPER"] },
  // The fourth and later replies on one connection: only the sentence channel of CAP-REPLY-SUFFIX sends that many non-ASCII
  // sentences and judges their ends (CAP-REPLY-UPPER's judges the text before the suffix, its fixture sends three, CAP-FRAME-ONE-WRITE's
  // are ASCII; CAP-QUOTA-RACE, which wants the suffix too, sends at most three per connection; the others take any reply).
  { name: "the suffix lost on a long conversation", defects: { suffixLostLater: true }, fails: ["CAP-REPLY-SUFFIX"] },
  {
    name: "no reply suffix",
    defects: { noSuffix: true },
    // Without the suffix a reply cannot be told from two, and every recorded session differs (CAP-QUOTA-CLOSE's is decided on
    // its closes only, which this server makes).
    fails: [
      "CAP-REPLY-SUFFIX",
      "CAP-FRAME-ONE-WRITE",
      "CAP-REPLY-UPPER",
      "CAP-CONCURRENT-CLIENTS",
      "CAP-QUOTA-LIMIT",
      "CAP-QUOTA-SHARED",
      "CAP-QUOTA-RACE",
      "CAP-SHUTDOWN-CLOSE",
      "CAP-SHUTDOWN-EXACT",
      "CAP-FUZZ-SURVIVE",
    ],
  },
  // Writes of more than 512 bytes are split: only CAP-FRAME-ONE-WRITE sends sentences that long (the others send at most 80
  // characters, 320 bytes), apart from the fuzzer, whose replies are not judged.
  { name: "a 512-byte read buffer", defects: { readBufferBytes: 512 }, fails: ["CAP-FRAME-ONE-WRITE"] },
  // Sentences overlap only when clients send at once: CAP-CONCURRENT-CLIENTS's, all answered, and CAP-QUOTA-RACE's, of which all but
  // the first must get the limit notice anyway.
  { name: "one sentence at a time", defects: { oneSentenceAtATime: true }, fails: ["CAP-CONCURRENT-CLIENTS"] },
  // Every check of the quota uses it up (the fixture they share as well, and CAP-SHUTDOWN-EXACT, which counts a message close to
  // the shutdown request in it), and each sees the 11th answer.
  {
    name: "an 11th answer",
    defects: { answers: capitalizer.limits.quota + 1 },
    fails: ["CAP-QUOTA-LIMIT", "CAP-QUOTA-CLOSE", "CAP-QUOTA-SHARED", "CAP-QUOTA-RACE", "CAP-SHUTDOWN-EXACT"],
  },
  // Every check of the quota has one client use up more of it than another (the fixture as well), or one client alone.
  // CAP-QUOTA-CLOSE is decided only on the closes of its recorded session, not on the answers before them.
  { name: "quota per connection", defects: { quotaPerConnection: true }, fails: ["CAP-QUOTA-LIMIT", "CAP-QUOTA-SHARED", "CAP-QUOTA-RACE"] },
  // CAP-QUOTA-LIMIT's c2 speaks before c1 and sends a sentence after c1's limit notice. CAP-QUOTA-SHARED's first speaker may be any
  // client, but it sends only one sentence past the quota, whose notice is then the first; the fixture's and CAP-QUOTA-RACE's clients
  // speak in the order they connected.
  { name: "the quota waived for an early speaker", defects: { exemptsEarlySpeaker: true }, fails: ["CAP-QUOTA-LIMIT"] },
  // Only CAP-QUOTA-CLOSE's check uses up the quota with a single client and judges what follows; the fixture, CAP-QUOTA-LIMIT and
  // CAP-QUOTA-SHARED have two or more clients, and the fuzzer judges the answer to its last sentence only.
  { name: "the sole client kept after the limit notice", defects: { keepsSoleClientOpen: true }, fails: ["CAP-QUOTA-CLOSE"] },
  // Only CAP-QUOTA-SHARED opens three or more connections before any sentence and then sends one past the quota; CAP-QUOTA-RACE's
  // clients are each served as they connect, and CAP-CONCURRENT-CLIENTS and CAP-DISCONNECT-NO-COUNT stay within the quota.
  { name: "a counter of their own for connections in a burst", defects: { ownCounterInBursts: true }, fails: ["CAP-QUOTA-SHARED"] },
  // Only CAP-QUOTA-RACE sends sentences at once when one is left of the quota.
  { name: "a race between checking and counting the quota", defects: { racyQuota: true }, fails: ["CAP-QUOTA-RACE"] },
  // It is answered, which CAP-SHUTDOWN-CLOSE (and its fixture) sees, and counted, which CAP-SHUTDOWN-NO-COUNT sees.
  { name: "shutdown request taken as a sentence", defects: { shutdownIsSentence: true }, fails: ["CAP-SHUTDOWN-CLOSE", "CAP-SHUTDOWN-NO-COUNT"] },
  // Only CAP-SHUTDOWN-EXACT sends the shutdown request with whitespace around it.
  { name: "the shutdown request recognised with whitespace around it", defects: { shutdownTrimmed: true }, fails: ["CAP-SHUTDOWN-EXACT"] },
  // Only CAP-SHUTDOWN-CLOSE and its fixture judge what comes before the close; the other checks that send it only wait for the close.
  { name: "a goodbye before the close on the shutdown request", defects: { saysGoodbye: true }, fails: ["CAP-SHUTDOWN-CLOSE"] },
  // Only CAP-SHUTDOWN-NO-COUNT uses up the quota after a shutdown request; CAP-ACCEPT-AFTER-END sends at most 8 sentences and requests.
  { name: "the shutdown request counted", defects: { countsShutdown: true }, fails: ["CAP-SHUTDOWN-NO-COUNT"] },
  // Only CAP-ACCEPT-AFTER-END connects after a client's shutdown request (the fuzzer never sends the exact request).
  { name: "stops accepting after a shutdown request", defects: { stopsAcceptingAfterShutdown: true }, fails: ["CAP-ACCEPT-AFTER-END"] },
  // Only CAP-DISCONNECT-NO-COUNT uses up the quota after clients closed their connections (CAP-ABRUPT-CLIENTS's are reset or cut short).
  { name: "disconnect counted", defects: { countsDisconnect: true }, fails: ["CAP-DISCONNECT-NO-COUNT"] },
  // Only QUOTA-LIMIT asks for a sentence after a client that used some of the quota left untold of the limit (a
  // departure before the quota is used up gives back what DISCONNECT-NO-COUNT would not see; the fixture's clients
  // leave told, so whether their close or the next sentence reaches the server first cannot matter).
  { name: "a departed client's quota given back", defects: { refundsDeparted: true }, fails: ["CAP-QUOTA-LIMIT"] },
  // Both checks of invalid UTF-8 that go on serving another client see it, and the fuzzer finds the server gone.
  {
    name: "crashes on invalid UTF-8",
    defects: { invalidUtf8: "crash" },
    fails: ["CAP-UTF8-INVALID-NO-COUNT", "CAP-UTF8-INVALID-ISOLATION", "CAP-FUZZ-SURVIVE"],
  },
  // Answered, it is counted (CAP-UTF8-INVALID-NO-COUNT) and the connection stays open (CAP-UTF8-INVALID-CLOSE).
  { name: "answers invalid UTF-8", defects: { invalidUtf8: "answer" }, fails: ["CAP-UTF8-INVALID-NO-COUNT"], warns: ["CAP-UTF8-INVALID-CLOSE"] },
  // Only CAP-UTF8-INVALID-NO-COUNT uses up the quota after invalid UTF-8 (CAP-ABRUPT-CLIENTS's writes are merely cut short).
  { name: "invalid UTF-8 counted", defects: { invalidUtf8: "count" }, fails: ["CAP-UTF8-INVALID-NO-COUNT"] },
  {
    name: "invalid UTF-8 disturbs the other clients",
    defects: { invalidUtf8: "disturb-others" },
    fails: ["CAP-UTF8-INVALID-NO-COUNT", "CAP-UTF8-INVALID-ISOLATION"],
    notAlone: {
      rule: "CAP-UTF8-INVALID-ISOLATION",
      why:
        "CAP-UTF8-INVALID-NO-COUNT's check does all that CAP-UTF8-INVALID-ISOLATION's does (a client sends invalid UTF-8, another " +
        "then has sentences drawn alike answered: two there, the whole quota here), so a defect that leaves one of the first two " +
        "unanswered fails both",
    },
  },
  // Only CAP-UTF8-INVALID-CLOSE waits for the close after invalid UTF-8; the fuzzer moves on to a new connection after a pause.
  { name: "a connection kept open after invalid UTF-8", defects: { invalidUtf8: "keep-open" }, fails: [], warns: ["CAP-UTF8-INVALID-CLOSE"] },
  // Only CAP-ABRUPT-CLIENTS's clients reset their connections.
  { name: "connection resets counted", defects: { countsResets: true }, fails: ["CAP-ABRUPT-CLIENTS"] },
  // Only the fuzzer writes NUL bytes.
  { name: "a crash on a NUL byte", defects: { stopsOnNul: true }, fails: ["CAP-FUZZ-SURVIVE"] },
  // Only CAP-IDLE-TIMEOUT leaves a connection silent for the idle timeout.
  { name: "no idle timeout", defects: { noIdleTimeout: true }, fails: [], warns: ["CAP-IDLE-TIMEOUT"] },
  // Only CAP-IDLE-TIMEOUT's client ignores the server's FIN; every other check's closes its side at once.
  { name: "an idle connection only half-closed", defects: { idleHalfClose: true }, fails: [], warns: ["CAP-IDLE-TIMEOUT"] },
  // Only CAP-CONNECTION-LIMIT opens maxConnections connections.
  { name: "no connection limit", defects: { noConnectionLimit: true }, fails: [], warns: ["CAP-CONNECTION-LIMIT"] },
  // Only CAP-CONNECTION-LIMIT-PER-ADDRESS opens more than maxConnectionsPerAddress connections from one address.
  { name: "no limit per address", defects: { noPerAddressLimit: true }, fails: [], warns: ["CAP-CONNECTION-LIMIT-PER-ADDRESS"] },
];
