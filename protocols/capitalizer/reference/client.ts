import readline from "node:readline";
import { capitalizer, isWholeAnswer, type CapitalizerSpec } from "../spec/index.js";
import { decodeUtf8, TcpConnection } from "../../../kit/serve.js";

export interface CapitalizerClientOptions {
  host: string;
  port: number;
  input: NodeJS.ReadableStream;
  output: NodeJS.WritableStream;
  /** How long to wait for a reply before giving up on the server. */
  replyTimeoutMs?: number;
  spec?: CapitalizerSpec;
}

/**
 * The interactive capitalizer client, like the original tcpclient.py: a line typed is a sentence, the
 * reply is printed. Ctrl+C (SIGINT) or the end of input sends the shutdown request; the limit notice
 * ends the session. Resolves with the process exit code.
 */
export async function runCapitalizerClient(options: CapitalizerClientOptions): Promise<number> {
  const spec = options.spec ?? capitalizer;
  const { limitNotice, shutdownRequest } = spec.wireTexts;
  const say = (line: string) => options.output.write(`${line}\n`);
  let conn: TcpConnection;
  try {
    conn = await TcpConnection.open(options.host, options.port, "client");
  } catch (error) {
    say(`sockspec client: ${(error as Error).message}`);
    return 1;
  }
  const rl = readline.createInterface({ input: options.input, output: options.output, terminal: false });
  let shutdownSent = false;
  const shutdown = () => {
    if (shutdownSent) return;
    shutdownSent = true;
    conn.send(shutdownRequest);
    conn.end(); // the socket closes once the request is out
    say("\nShutdown requested; connection closed.");
    rl.close();
  };
  rl.on("SIGINT", shutdown);
  process.once("SIGINT", shutdown);
  const prompt = () => say("\n\tInput a sentence (Ctrl+C to quit)...");
  const replyTimeoutMs = options.replyTimeoutMs ?? 5000;
  try {
    prompt();
    for await (const line of rl) {
      if (line === "") {
        prompt(); // an empty write carries no sentence; the original would wait forever for its reply
        continue;
      }
      if (Buffer.byteLength(line) > spec.limits.maxSentenceBytes) {
        say(`A sentence is at most ${spec.limits.maxSentenceBytes} bytes; this one was not sent.`);
        prompt();
        continue;
      }
      conn.send(line);
      // A reply may come in pieces, each after a pause: only a whole answer ends the read (CAPC-REPLY-WHOLE).
      const answer = await conn.read({ complete: (bytes) => isWholeAnswer(bytes, spec), timeoutMs: replyTimeoutMs, settleMs: replyTimeoutMs });
      if (shutdownSent) return 0; // Ctrl+C while waiting: the shutdown request is already on its way
      if (answer.kind === "silence") {
        say(`No answer within ${replyTimeoutMs} ms; giving up.`);
        return 1;
      }
      if (answer.kind === "closed") {
        say("The server closed the connection.");
        return 1;
      }
      const text = decodeUtf8(answer.bytes) ?? `(not UTF-8: ${answer.bytes.toString("base64")})`;
      say(`\nFrom Server: ${text}`);
      if (text === limitNotice) {
        say("\n\tCLIENT CONNECTION CLOSED.");
        return 0;
      }
      prompt();
    }
    shutdown(); // end of input: leave the way the protocol asks
    return 0;
  } finally {
    process.off("SIGINT", shutdown);
    rl.close();
    if (!shutdownSent) conn.close();
  }
}
