import { capitalizer, expectedReply, isWholeAnswer } from "./spec/index.js";
import { decodeUtf8, type Exchange, type LoadClient, MAX_READ_BYTES, TcpConnection, type Workload } from "../../kit/serve.js";

const { limitNotice, busyNotice } = capitalizer.wireTexts;

/** What a capitalizer answer that is not the expected reply means for the client that got it. */
function unexpected(answer: string, expected: string): Exchange {
  if (answer === limitNotice)
    return {
      kind: "ended",
      reason: "the server's quota is used up (it sent the limit notice); restart it, or raise its quota, to load it longer",
      answered: true,
    };
  if (answer === busyNotice)
    return { kind: "ended", reason: "the server is at its connection cap (it sent the busy notice); use fewer clients", answered: true };
  return { kind: "wrong", expected, actual: answer };
}

/** Sentences over TCP connections, each answer checked against the upper-cased sentence and its suffix. */
export function capitalizerWorkload(host: string, port: number, timeoutMs: number): Workload {
  return {
    protocol: "capitalizer",
    name: "sentences",
    async open(index): Promise<LoadClient> {
      const connection = await TcpConnection.open(host, port, `c${index + 1}`);
      let sent = 0;
      let timedOut = false;
      let overflowed = false;
      return {
        async exchange() {
          // On a stream a late answer would be taken for the next one's: the client stops instead.
          if (timedOut) return { kind: "ended", reason: "stopped after a timeout" };
          if (overflowed) return { kind: "ended", reason: `the bench closed the connection: an answer ran past ${MAX_READ_BYTES.toLocaleString("en")} bytes` };
          const sentence = `load test sentence ${++sent} from client ${index + 1}`;
          const expected = expectedReply(sentence);
          connection.send(sentence);
          const answer = await connection.read({ complete: (bytes) => isWholeAnswer(bytes), timeoutMs, settleMs: 50 });
          if (answer.kind === "silence") {
            timedOut = true;
            return { kind: "timeout" };
          }
          if (answer.kind === "closed") return { kind: "ended", reason: "the server closed the connection" };
          const text = decodeUtf8(answer.bytes) ?? `(not UTF-8: ${answer.bytes.length} bytes)`;
          if (answer.overflow) {
            // The connection read caps what it takes in and hangs up there (MAX_READ_BYTES).
            overflowed = true;
            return { kind: "wrong", expected, actual: text, overflow: true };
          }
          return text === expected ? { kind: "ok" } : unexpected(text, expected);
        },
        close: () => connection.close(),
      };
    },
  };
}
