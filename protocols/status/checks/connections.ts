import { loopbackAddress, NotCheckableError, type RuleCheck, TcpConnection } from "../../../kit/index.js";
import type { StatusRuleId } from "../spec/rule-ids.js";
import { answeredCode } from "./arbitraries.js";
import { check, type StatusSession } from "./session.js";

/**
 * The most connections the check holds from one address: a server whose cap is higher is not checked, as
 * holding that many would cost the checking machine more than the rule is worth.
 */
export const MAX_HELD_CONNECTIONS = 256;

/** The status of a refusal for want of room (the reference's past its cap): never asked for, so an answer with it is a refusal. */
const BUSY = 503;

/** The end of an HTTP message head: a request without it is unfinished, an answer with it has its status line. */
const HEAD_END = "\r\n\r\n";

/** A request head that never ends, as a slow client sends one: the server must wait for the rest. */
const unfinishedHead = (code: number, host: string) => `GET /${code} HTTP/1.1\r\nHost: ${host}\r\n`;

/**
 * Opens up to `count` connections from `from`, each sending an unfinished request head. A connect that fails
 * ends it: the server takes no more from that address, so it holds no more of the server's resources.
 */
async function holdSlowHeads(run: StatusSession, count: number, from: string, code: number): Promise<TcpConnection[]> {
  const held: TcpConnection[] = [];
  for (let n = 0; n < count; n++) {
    const conn = await run.connect(from);
    if (!(conn instanceof TcpConnection)) break;
    conn.send(unfinishedHead(code, run.server.host));
    held.push(conn);
  }
  return held;
}

/** Connections and what one address may take of the server. */
export const connectionChecks: Array<RuleCheck<StatusRuleId>> = [
  check({
    id: "STATUS-CONNECTIONS-PER-ADDRESS",
    // One address holding its share either starves the others or does not: one run shows it.
    runs: "one",
    servers: "shared",
    inputs: answeredCode.filter((code) => code !== BUSY),
    run: async (run, code) => {
      const cap = run.ctx.spec.limits.maxConnectionsPerAddress;
      const { host } = run.server;
      const [first, other] = [loopbackAddress(host, 0)!, loopbackAddress(host, 1)];
      // Only a server on this machine's IPv4 loopback can be reached from two addresses of it.
      if (other === undefined || !host.startsWith("127."))
        throw new NotCheckableError(`a client from another IP address needs the server on an IPv4 loopback address (127.0.0.1), not ${host}`);
      if (cap > MAX_HELD_CONNECTIONS)
        throw new NotCheckableError(
          `the server takes ${cap} connections from one address, more than the ${MAX_HELD_CONNECTIONS} the check holds; check it with a lower cap (--limit maxConnectionsPerAddress)`,
        );
      const held = await holdSlowHeads(run, cap, first, code);
      const holding = `while ${first} holds ${held.length} connection(s) with unfinished request heads`;
      const stranger = await run.connect(other);
      const expected = `an answer to GET /${code} from ${other} within ${run.ctx.timeouts.replyMs} ms ${holding}`;
      if (!(stranger instanceof TcpConnection)) return run.fail(expected, `the connection failed (${stranger.code})`);
      stranger.send(`GET /${code} HTTP/1.1\r\nHost: ${host}\r\nConnection: close${HEAD_END}`);
      const answer = await stranger.read({
        complete: (bytes) => bytes.includes(HEAD_END),
        timeoutMs: run.ctx.timeouts.replyMs,
        settleMs: run.ctx.timeouts.settleMs,
      });
      if (answer.kind !== "message") return run.fail(expected, answer);
      // Whether the answer is the right one is other rules' to judge: this one asks only that it is not a refusal.
      const status = Number(/^HTTP\/1\.[01] (\d{3}) /.exec(answer.bytes.toString("latin1"))?.[1]);
      if (Number.isNaN(status) || status === BUSY) run.fail(`${expected}, not refused as busy (${BUSY})`, answer);
    },
  }),
];
