import dgram from "node:dgram";
import { readFile } from "node:fs/promises";
import path from "node:path";
import { PassThrough } from "node:stream";
import t, { type Test } from "tap";
import { spawnTarget } from "../../../conformance/spawn.js";
import { bank, createBankServer, runBankClient } from "../../../index.js";
import { accountFileText, appliedReply, balanceReply, deniedReply } from "../../../protocols/bank/spec/index.js";
import { bind, closeSocket } from "../../../transport/udp-server.js";
import { originalsDir, originalsSkipReason, python, runCli, runProgram } from "../../support/helpers.js";

const { username, pin } = bank.defaults;

/** A reference bank on a free port with its account file in the test's folder. */
async function referenceBank(t: Test): Promise<{ port: number; dataFile: string }> {
  const dataFile = path.join(t.testdir(), "user.txt");
  const socket = await createBankServer({ dataFile });
  const port = await bind(socket, "127.0.0.1", 0);
  t.teardown(() => closeSocket(socket));
  return { port, dataFile };
}

/** Runs the client on the given lines of input; resolves with its exit code and what it printed. */
async function runOnLines(port: number, lines: string[], replyTimeoutMs?: number): Promise<{ code: number; output: string }> {
  const input = new PassThrough();
  const output = new PassThrough();
  let printed = "";
  output.on("data", (chunk: Buffer) => (printed += chunk.toString()));
  input.end(lines.map((l) => `${l}\n`).join(""));
  const code = await runBankClient({ host: "127.0.0.1", port, input, output, replyTimeoutMs });
  return { code, output: printed };
}

/** The server's answers as the client printed them, in order. */
const answers = (output: string) => [...output.matchAll(/From Server: ([^\n]*(?:\n\t[^\n]*\n)?)/g)].map((m) => m[1]);

t.test("deposit, withdrawal, wrong PIN and balance against the reference server", async (t) => {
  const { port, dataFile } = await referenceBank(t);
  const { code, output } = await runOnLines(port, ["3", "50", username, pin, "2", "80", username, pin, "3", "5", username, "wrong", "1"]);
  t.equal(code, 0);
  t.same(answers(output), [
    bank.wireTexts.challenge,
    appliedReply("deposit", "50", 50n),
    bank.wireTexts.challenge,
    appliedReply("withdraw", "80", -30n),
    bank.wireTexts.challenge,
    deniedReply("deposit"),
    balanceReply(-30n),
  ]);
  t.equal(await readFile(dataFile, "utf8"), accountFileText(-30n, username, pin), "what the client was told is on disk");
});

t.test("bad menu choices and amounts are caught before sending; a lost reply is reported, not waited for", async (t) => {
  const silent = dgram.createSocket("udp4");
  const port = await bind(silent, "127.0.0.1", 0);
  t.teardown(() => closeSocket(silent));
  const received: string[] = [];
  silent.on("message", (datagram) => received.push(datagram.toString()));
  const { code, output } = await runOnLines(port, ["9", "3", "-5", "2", "12a", "1"], 200);
  t.equal(code, 0);
  t.match(output, /Illegal Command/);
  t.match(output, /nothing was sent/);
  t.match(output, /No answer within 200 ms/);
  t.same(received, ["b"], "only the balance request went out");
});

t.test("sockspec client bank works against the original Python server", { skip: originalsSkipReason() }, async (t) => {
  const server = await spawnTarget(`${python()} ${path.join(originalsDir, "udpserver.py")}`, { host: "127.0.0.1", transport: "udp" }).start();
  t.teardown(() => server.stop());
  const input = ["3", "50", username, pin, "2", "23", username, pin, "1"].map((l) => `${l}\n`).join("");
  const result = await runCli(["client", "bank", "--port", String(server.port)], { input });
  t.equal(result.code, 0, result.stderr);
  t.same(answers(result.stdout), [
    bank.wireTexts.challenge,
    appliedReply("deposit", "50", 50n),
    bank.wireTexts.challenge,
    appliedReply("withdraw", "23", 27n),
    balanceReply(27n),
  ]);
});

t.test("the original Python client works against the reference server", { skip: originalsSkipReason() }, async (t) => {
  const { port, dataFile } = await referenceBank(t);
  const input = ["3", "50", username, pin, "1"].map((l) => `${l}\n`).join("");
  // The original ends with a traceback when its input runs out (EOFError in input()); what it printed before counts.
  const result = await runProgram(python(), [path.join(originalsDir, "udpclient.py")], { input, env: { HOST: "127.0.0.1", PORT: String(port) } });
  t.match(result.stderr, /EOFError/);
  t.match(result.stdout, `From Server:  ${appliedReply("deposit", "50", 50n)}`);
  t.match(result.stdout, `From Server:  ${balanceReply(50n)}`);
  t.equal(await readFile(dataFile, "utf8"), accountFileText(50n, username, pin));
});
