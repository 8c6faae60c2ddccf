import { existsSync, readFileSync, writeFileSync } from "node:fs";
import { mkdir, rm } from "node:fs/promises";
import path from "node:path";
import { setTimeout as sleep } from "node:timers/promises";
import t, { type Test } from "tap";
import { createBankServer } from "../../../protocols/bank/reference/server.js";
import { balanceReply, bank, credentials, deniedReply, operationRequest, parseApplied } from "../../../protocols/bank/spec/index.js";
import { decodeUtf8 } from "../../../transport/transcript.js";
import { bind, closeSocket } from "../../../transport/udp-server.js";
import { UdpClient } from "../../../transport/udp-socket.js";
import { runCli } from "../../support/helpers.js";

const right = credentials(bank.defaults.username, bank.defaults.pin);

async function referenceBank(t: Test, folder: string, options: { throttleWindowMs?: number } = {}): Promise<{ port: number; dataFile: string }> {
  const dataFile = path.join(folder, "user.txt");
  const socket = await createBankServer({ dataFile, ...options });
  const port = await bind(socket, "127.0.0.1", 0);
  t.teardown(() => closeSocket(socket));
  return { port, dataFile };
}

async function ask(socket: UdpClient, datagram: string): Promise<string | undefined> {
  socket.send(datagram);
  const answer = await socket.read(2000);
  return answer.kind === "message" ? decodeUtf8(answer.bytes) : undefined;
}

const balanceOnDisk = (file: string) => BigInt(readFileSync(file, "utf8").split("\n")[0]!);

t.test("concurrent deposits are written together, and each is acknowledged only once the disk has it", async (t) => {
  const { port, dataFile } = await referenceBank(t, t.testdir());
  const clients = await Promise.all(Array.from({ length: 24 }, (_, i) => UdpClient.open("127.0.0.1", port, `s${i + 1}`)));
  t.teardown(() => clients.forEach((client) => client.close()));
  const acknowledged = await Promise.all(
    clients.map(async (client, i) => {
      t.equal(await ask(client, operationRequest("deposit", String(i + 1))), bank.wireTexts.challenge);
      const answer = await ask(client, right);
      // Read the moment the acknowledgement arrives: deposits only raise the balance, so the file holds at least what it shows.
      const onDisk = balanceOnDisk(dataFile);
      const applied = parseApplied(answer ?? "");
      t.ok(applied && onDisk >= applied.balance, `acknowledged ${answer} with ${onDisk} on disk`);
      return applied?.balance;
    }),
  );
  const total = BigInt((24 * 25) / 2);
  t.equal(new Set(acknowledged).size, 24, "every deposit saw a balance of its own");
  t.equal(balanceOnDisk(dataFile), total);
  t.equal(await ask(clients[0]!, "b"), balanceReply(total));
});

t.test("a write that fails undoes its change and acknowledges nothing; the server goes on answering", async (t) => {
  const folder = path.join(t.testdir(), "account");
  await mkdir(folder);
  const { port } = await referenceBank(t, folder);
  const client = await UdpClient.open("127.0.0.1", port, "s1");
  t.teardown(() => client.close());
  await ask(client, operationRequest("deposit", "5"));
  t.equal(parseApplied((await ask(client, right)) ?? "")?.balance, 5n);
  await rm(folder, { recursive: true }); // the next write cannot create its temporary file
  t.equal(await ask(client, operationRequest("deposit", "7")), bank.wireTexts.challenge);
  const warned = new Promise<string>((resolve) => process.once("warning", (warning) => resolve(warning.message)));
  client.send(right);
  t.match(await warned, /^bank: ENOENT/, "the server says why");
  // An acknowledgement, had one been sent, would come before the answer to the next request.
  t.equal(await ask(client, "b"), balanceReply(5n), "no acknowledgement, and the balance is the one on disk");
});

t.test("wrong answers older than the throttle window no longer count towards the throttle", async (t) => {
  const windowMs = 300;
  const { port } = await referenceBank(t, t.testdir(), { throttleWindowMs: windowMs });
  const guesser = await UdpClient.open("127.0.0.1", port, "s1");
  t.teardown(() => guesser.close());
  const { maxWrongCredentials } = bank.limits;
  const guessWrong = async () => {
    t.equal(await ask(guesser, operationRequest("deposit", "1")), bank.wireTexts.challenge);
    t.equal(await ask(guesser, credentials(bank.defaults.username, "99999")), deniedReply("deposit"));
  };
  for (let i = 1; i < maxWrongCredentials; i++) await guessWrong();
  // The window running out is what is tested: there is no event to wait for but the time itself.
  await sleep(windowMs + 50);
  for (let i = 1; i < maxWrongCredentials; i++) await guessWrong();
  await guessWrong();
  t.equal(await ask(guesser, operationRequest("deposit", "1")), bank.wireTexts.throttled, "throttled once a window holds the limit's worth");
});

t.test("a damaged account file is refused at start, named, and left as it was", async (t) => {
  const damaged: Record<string, string> = {
    "no PIN": "100\ncharles\n",
    "Windows line ends": "100\r\ncharles\r\n02323\r\n",
    "an empty username": "100\n\n02323\n",
    "no balance": "abc\ncharles\n02323\n",
    nothing: "",
  };
  for (const [what, content] of Object.entries(damaged)) {
    const file = path.join(t.testdir(), `${what.replaceAll(" ", "-")}.txt`);
    writeFileSync(file, content);
    const result = await runCli(["serve", "bank", "--port", "0", "--data", file]);
    t.equal(result.code, 2, what);
    t.match(result.stderr, new RegExp(`^sockspec: cannot use the account file ${file.replace(/[.*+?^${}()|[\]\\]/g, "\\$&")}: not an account file`), what);
    t.equal(result.stderr.trimEnd().split("\n").length, 1, "one line");
    t.equal(readFileSync(file, "utf8"), content, `${what}: the file is left as it was`);
  }
  const folder = path.join(t.testdir(), "a-folder");
  await mkdir(folder);
  const result = await runCli(["serve", "bank", "--port", "0", "--data", folder]);
  t.equal(result.code, 2);
  t.match(
    result.stderr,
    /^sockspec: cannot use the account file .*a-folder: not an account file: it is a folder, not a regular file\n$/,
    "the file is named, not the address",
  );
});

t.test("temporary files left by a write cut short are removed at start", async (t) => {
  const folder = t.testdir({ ".user.txt.4242.tmp": "1", "user.txt": "5\ncharles\n02323\n", ".other.tmp": "kept" });
  const { port } = await referenceBank(t, folder);
  t.notOk(existsSync(path.join(folder, ".user.txt.4242.tmp")));
  t.ok(existsSync(path.join(folder, ".other.tmp")), "other files are left alone");
  const socket = await UdpClient.open("127.0.0.1", port, "s1");
  t.teardown(() => socket.close());
  t.equal(await ask(socket, "b"), balanceReply(5n));
});

t.test("serve bank on an address it cannot have: one line, no warning", async (t) => {
  const result = await runCli(["serve", "bank", "--host", "8.8.8.8", "--port", "0", "--data", path.join(t.testdir(), "user.txt")]);
  t.equal(result.code, 2);
  t.equal(result.stderr, "sockspec: cannot serve on 8.8.8.8:0 (EADDRNOTAVAIL)\n");
});
