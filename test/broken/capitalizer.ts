import net from "node:net";
import { capitalizer } from "../../spec/capitalizer/index.js";
import { decodeUtf8 } from "../../transport/transcript.js";

/** One defect each: what a deliberately broken capitalizer gets wrong. */
export interface Defects {
  /** Upper-cases only a-z. */
  asciiUpper?: boolean;
  /** Sends replies without the reply suffix. */
  noSuffix?: boolean;
  /** Answers this many sentences instead of the quota. */
  answers?: number;
  /** Counts the quota per connection instead of for the whole server. */
  quotaPerConnection?: boolean;
  /** Takes the shutdown request as a sentence. */
  shutdownIsSentence?: boolean;
  /** Counts a client's disconnect as a sentence, as the original does. */
  countsDisconnect?: boolean;
  /** Stops listening once any connection ends, as the original does. */
  stopsAcceptingAfterEnd?: boolean;
  /** On invalid UTF-8: "crash" stops the whole server; "count" answers it as a sentence. */
  invalidUtf8?: "crash" | "count";
  /** Splits a write into lines and answers each. */
  linesAreSentences?: boolean;
}

/** The idle timeout and connection cap the broken servers run with; tests give them to the runner as the target's limits. */
export const brokenCapitalizerLimits = { idleTimeoutMs: 300, maxConnections: 16 };

/** A capitalizer server with exactly the given defects; with none it behaves like the reference. */
export function createBrokenCapitalizer(defects: Defects): net.Server {
  const { replySuffix, limitNotice, shutdownRequest } = capitalizer.wireTexts;
  const limit = defects.answers ?? capitalizer.limits.quota;
  const sockets = new Set<net.Socket>();
  let shared = 0;
  const upper = (text: string) => (defects.asciiUpper ? text.replace(/[a-z]/g, (c) => c.toUpperCase()) : text.toUpperCase());

  const server = net.createServer((socket) => {
    if (sockets.size >= brokenCapitalizerLimits.maxConnections) return void socket.end(capitalizer.wireTexts.busyNotice);
    socket.setTimeout(brokenCapitalizerLimits.idleTimeoutMs, () => socket.end());
    sockets.add(socket);
    let own = 0;
    const count = () => (defects.quotaPerConnection ? own++ : shared++);
    const used = () => (defects.quotaPerConnection ? own : shared);
    const ended = () => {
      sockets.delete(socket);
      if (defects.stopsAcceptingAfterEnd) server.close();
    };
    const answer = (sentence: string) => {
      if (used() >= limit) return void socket.end(limitNotice);
      count();
      socket.write(upper(sentence) + (defects.noSuffix ? "" : replySuffix));
    };
    socket.on("error", () => socket.destroy());
    let shutdown = false;
    socket.on("end", () => {
      if (defects.countsDisconnect && !shutdown) count();
    });
    socket.on("close", ended);
    socket.on("data", (bytes: Buffer) => {
      const sentence = decodeUtf8(bytes);
      if (sentence === undefined) {
        if (defects.invalidUtf8 === "crash") {
          server.close();
          for (const s of sockets) s.destroy();
        } else if (defects.invalidUtf8 === "count") answer(bytes.toString("utf8"));
        else socket.destroy();
        return;
      }
      if (sentence === shutdownRequest && !defects.shutdownIsSentence) {
        shutdown = true;
        return void socket.end();
      }
      for (const part of defects.linesAreSentences ? sentence.split("\n") : [sentence]) answer(part);
    });
  });
  return server;
}

/** The broken servers the kit must catch, each with the rules it must fail and why. */
export const brokenCapitalizers: Array<{
  name: string;
  defects: Defects;
  /** MUST rules it fails. */
  fails: string[];
  /** Rules it may fail as well, as a consequence (each entry says why). */
  mayFail?: string[];
  /** SHOULD rules it does not meet. */
  warns?: string[];
}> = [
  { name: "ASCII-only upper-casing", defects: { asciiUpper: true }, fails: ["CAP-REPLY-UPPER"] },
  {
    name: "no reply suffix",
    defects: { noSuffix: true },
    // Without the suffix a reply cannot be told from two, and every recorded session differs.
    fails: [
      "CAP-REPLY-SUFFIX",
      "CAP-FRAME-ONE-WRITE",
      "CAP-REPLY-UPPER",
      "CAP-CONCURRENT-CLIENTS",
      "CAP-QUOTA-LIMIT",
      "CAP-QUOTA-CLOSE",
      "CAP-QUOTA-SHARED",
      "CAP-SHUTDOWN-CLOSE",
      "CAP-FUZZ-SURVIVE",
    ],
    // Racing clients' replies run together without it.
    mayFail: ["CAP-QUOTA-RACE"],
  },
  {
    name: "lines taken as sentences",
    defects: { linesAreSentences: true },
    fails: ["CAP-FRAME-ONE-WRITE"],
    // Other checks' sentences have newlines only now and then: when they do, the reply is the first
    // line's alone, and the server uses up more of the quota than the kit counted.
    mayFail: ["CAP-REPLY-UPPER", "CAP-REPLY-SUFFIX", "CAP-QUOTA-RACE", "CAP-QUOTA-LIMIT", "CAP-ABRUPT-CLIENTS"],
  },
  {
    name: "an 11th answer",
    defects: { answers: capitalizer.limits.quota + 1 },
    fails: ["CAP-QUOTA-LIMIT", "CAP-QUOTA-CLOSE", "CAP-QUOTA-SHARED", "CAP-QUOTA-RACE"],
  },
  { name: "quota per connection", defects: { quotaPerConnection: true }, fails: ["CAP-QUOTA-LIMIT", "CAP-QUOTA-CLOSE", "CAP-QUOTA-SHARED", "CAP-QUOTA-RACE"] },
  { name: "shutdown request taken as a sentence", defects: { shutdownIsSentence: true }, fails: ["CAP-SHUTDOWN-CLOSE", "CAP-SHUTDOWN-NO-COUNT"] },
  { name: "disconnect counted", defects: { countsDisconnect: true }, fails: ["CAP-DISCONNECT-NO-COUNT"] },
  {
    name: "stops accepting after a connection ends",
    defects: { stopsAcceptingAfterEnd: true },
    fails: ["CAP-ACCEPT-AFTER-END", "CAP-FUZZ-SURVIVE"],
    // Only when an abrupt client's connection counts as ended before the stayer has been served.
    mayFail: ["CAP-ABRUPT-CLIENTS"],
  },
  {
    name: "crashes on invalid UTF-8",
    defects: { invalidUtf8: "crash" },
    fails: ["CAP-UTF8-INVALID-NO-COUNT", "CAP-UTF8-INVALID-ISOLATION", "CAP-ABRUPT-CLIENTS", "CAP-FUZZ-SURVIVE"],
  },
  {
    name: "answers invalid UTF-8",
    defects: { invalidUtf8: "count" },
    fails: ["CAP-UTF8-INVALID-NO-COUNT", "CAP-ABRUPT-CLIENTS"],
    warns: ["CAP-UTF8-INVALID-CLOSE"],
  },
];
