import net from "node:net";
import path from "node:path";
import { setTimeout as delay } from "node:timers/promises";
import type { AddressInfo } from "node:net";
import t, { type Test } from "tap";
import { BankSession } from "../../protocols/bank/checks/session.js";
import { CapitalizerSession } from "../../protocols/capitalizer/checks/session.js";
import { DEFAULT_TIMEOUTS } from "../../conformance/runner.js";
import { NotCheckableError, type ServerHandle } from "../../conformance/target.js";
import { createCapitalizerServer } from "../../protocols/capitalizer/reference/server.js";
import { capitalizer } from "../../protocols/capitalizer/spec/index.js";
import { bank, credentials, operationRequest } from "../../protocols/bank/spec/index.js";
import { createBankServer } from "../../protocols/bank/reference/server.js";
import { bind, closeSocket } from "../../transport/udp-server.js";
import { Violation } from "../../conformance/check.js";

/** Listens on a free loopback port; the server is closed when the test ends, however it ends. */
async function listen(t: Test, server: net.Server): Promise<ServerHandle> {
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const stop = () => new Promise<void>((resolve) => server.close(() => resolve()));
  t.teardown(stop);
  return { host: "127.0.0.1", port: (server.address() as AddressInfo).port, stop };
}

t.test("a connection the server closed as idle, after the idle timeout, makes the check not checkable, never failed", async (t) => {
  const idleTimeoutMs = 100;
  const server = await listen(t, createCapitalizerServer({ idleTimeoutMs }));
  const session = new CapitalizerSession(server, DEFAULT_TIMEOUTS, idleTimeoutMs);
  t.teardown(() => session.closeAll());
  const conn = await session.connect();
  await session.expectAnswered(conn, "hello");
  await conn.waitClosed(idleTimeoutMs * 20); // the server's idle timeout closes it
  const error = await session.say(conn, "anyone there?").catch((error: unknown) => error);
  t.ok(error instanceof NotCheckableError, "not checkable");
  t.match(String(error), /closed c1 .* longer than the 100 ms idle timeout/);
});

t.test("a connection closed before the idle timeout is the server's doing, and is reported as closed", async (t) => {
  // Closes every connection 50 ms after its first sentence, though its idle timeout is the spec's minute.
  const server = await listen(
    t,
    net.createServer((socket) => {
      socket.on("error", () => socket.destroy());
      socket.once("data", (bytes) => {
        socket.write(bytes.toString().toUpperCase() + capitalizer.wireTexts.replySuffix);
        setTimeout(() => socket.end(), 50);
      });
    }),
  );
  const session = new CapitalizerSession(server, DEFAULT_TIMEOUTS, 60_000);
  t.teardown(() => session.closeAll());
  const conn = await session.connect();
  await session.expectAnswered(conn, "hello");
  await conn.waitClosed(2000);
  t.same(await session.say(conn, "anyone there?"), { kind: "closed" });
});

t.test("a client address this machine does not have makes the check not checkable, over TCP and UDP", async (t) => {
  // 192.0.2.0/24 is reserved for documentation: no machine has it.
  const missing = "192.0.2.7";
  const server = await listen(t, createCapitalizerServer());
  const capitalizerSession = new CapitalizerSession(server, DEFAULT_TIMEOUTS);
  t.teardown(() => capitalizerSession.closeAll());
  const tcp = await capitalizerSession.connect("", missing).catch((error: unknown) => error);
  t.ok(tcp instanceof NotCheckableError, String(tcp));
  const bankSession = new BankSession({ host: "127.0.0.1", port: 9, stop: async () => {} }, { timeouts: DEFAULT_TIMEOUTS });
  t.teardown(() => bankSession.closeAll());
  const udp = await bankSession.socket("o1", missing).catch((error: unknown) => error);
  t.ok(udp instanceof NotCheckableError, String(udp));
  t.match(String(udp), /no loopback address 192\.0\.2\.7/);
});

t.test("a challenge the check answered after the challenge timeout makes the check not checkable; one dropped early fails", async (t) => {
  const challengeTimeoutMs = 100;
  const socket = await createBankServer({ dataFile: path.join(t.testdir(), "user.txt"), challengeTimeoutMs });
  const port = await bind(socket, "127.0.0.1", 0);
  t.teardown(() => closeSocket(socket));
  const server = { host: "127.0.0.1", port, stop: async () => {} };
  const ask = async (declaredMs: number, waitMs: number) => {
    const session = new BankSession(server, { timeouts: DEFAULT_TIMEOUTS, spec: { limits: { challengeTimeoutMs: declaredMs } } });
    t.teardown(() => session.closeAll());
    const s1 = await session.socket();
    await session.expect(s1, operationRequest("deposit", "5"), bank.wireTexts.challenge);
    await delay(waitMs); // past the server's challenge timeout: what is under test
    const said = await session.request(s1, credentials(bank.defaults.username, bank.defaults.pin));
    try {
      session.fail("the deposit applied", said);
    } catch (error) {
      return error;
    }
  };
  // Told the truth (100 ms), the check knows it answered late: the server may have dropped the challenge.
  const late = await ask(challengeTimeoutMs, 3 * challengeTimeoutMs);
  t.ok(late instanceof NotCheckableError, String(late));
  t.match(String(late), /s1 answered its challenge \d+ ms after asking, too close to the 100 ms challenge timeout/);
  // Past half the timeout is late too, though the server took the answer here: on a loaded machine its
  // delivery could take the rest.
  const nearly = await ask(challengeTimeoutMs, 0.6 * challengeTimeoutMs);
  t.ok(nearly instanceof NotCheckableError, String(nearly));
  // Told 10 s, the same drop is the server's failure.
  const dropped = await ask(10_000, 3 * challengeTimeoutMs);
  t.ok(dropped instanceof Violation, String(dropped));
});
