import { once } from "node:events";
import net from "node:net";
import path from "node:path";
import { PassThrough } from "node:stream";
import t from "tap";
import { spawnTarget } from "../../../conformance/spawn.js";
import { createCapitalizerServer, runCapitalizerClient } from "../../../index.js";
import { capitalizer } from "../../../protocols/capitalizer/spec/index.js";
import { closeServer, listen } from "../../../transport/tcp-server.js";
import { originalsDir, originalsSkipReason, python, runCli, startCli } from "../../support/helpers.js";

async function referenceServer(t: { teardown: (fn: () => unknown) => void }, limit?: number): Promise<number> {
  const server = createCapitalizerServer({ limit });
  const port = await listen(server, "127.0.0.1", 0);
  t.teardown(() => closeServer(server));
  return port;
}

/** Runs the client on the given lines of input; resolves with its exit code and what it printed. */
async function runOnLines(port: number, lines: string[]): Promise<{ code: number; output: string }> {
  const input = new PassThrough();
  const output = new PassThrough();
  let printed = "";
  output.on("data", (chunk: Buffer) => (printed += chunk.toString()));
  input.end(lines.map((l) => `${l}\n`).join(""));
  const code = await runCapitalizerClient({ host: "127.0.0.1", port, input, output });
  return { code, output: printed };
}

t.test("prints each reply, reports the limit and ends", async (t) => {
  const port = await referenceServer(t, 2);
  const { code, output } = await runOnLines(port, ["hello", "straße", "one too many", "never sent"]);
  t.equal(code, 0);
  t.match(output, "From Server: HELLO\nAwaiting next string...");
  t.match(output, "From Server: STRASSE\nAwaiting next string...");
  t.match(output, `From Server: ${capitalizer.wireTexts.limitNotice}`);
  t.notMatch(output, "NEVER SENT");
});

t.test("the end of input sends the shutdown request, which the server sees", async (t) => {
  let received = "";
  let ended!: () => void;
  const sessionEnded = new Promise<void>((resolve) => (ended = resolve));
  const server = net.createServer((socket) => {
    socket.on("data", (b: Buffer) => (received += b.toString()));
    socket.on("end", () => {
      socket.end();
      ended();
    });
  });
  const port = await listen(server, "127.0.0.1", 0);
  t.teardown(() => closeServer(server));
  const { code, output } = await runOnLines(port, []);
  t.equal(code, 0);
  t.match(output, /Shutdown requested/);
  await sessionEnded;
  t.equal(received, capitalizer.wireTexts.shutdownRequest);
});

t.test("an unreachable server: a message and exit 1", async (t) => {
  const server = net.createServer();
  const port = await listen(server, "127.0.0.1", 0);
  await closeServer(server);
  const { code, output } = await runOnLines(port, ["hi"]);
  t.equal(code, 1);
  t.match(output, /cannot connect/);
});

t.test("Ctrl+C (SIGINT) in the CLI client sends the shutdown request and exits 0", async (t) => {
  const port = await referenceServer(t, 1);
  const child = startCli(["client", "capitalizer", "--port", String(port)]);
  let out = "";
  child.stdout.on("data", (b: Buffer) => (out += b.toString()));
  await once(child.stdout, "data"); // the first prompt: the client is connected
  child.kill("SIGINT");
  const [code] = await once(child, "exit");
  t.equal(code, 0);
  t.match(out, /Shutdown requested/);
  // The shutdown request did not count: the one-sentence quota is still there.
  const result = await runOnLines(port, ["still here"]);
  t.match(result.output, "STILL HERE");
});

t.test("the CLI client works against the original Python server", { skip: originalsSkipReason() }, async (t) => {
  const server = await spawnTarget(`${python()} ${path.join(originalsDir, "tcpserver.py")}`, { host: "127.0.0.1" }).start();
  t.teardown(() => server.stop());
  const result = await runCli(["client", "capitalizer", "--port", String(server.port)], { input: "Hello, I am client 1.\nstraße ﬁ\n" });
  t.equal(result.code, 0, result.stderr);
  t.match(result.stdout, "From Server: HELLO, I AM CLIENT 1.\nAwaiting next string...");
  t.match(result.stdout, "From Server: STRASSE FI\nAwaiting next string...");
});
