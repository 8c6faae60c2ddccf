// The reference bank's account file against what a hostile or careless folder can hold.
import { execFileSync } from "node:child_process";
import { existsSync, lstatSync, readdirSync, readFileSync, symlinkSync, truncateSync, writeFileSync } from "node:fs";
import path from "node:path";
import t, { type Test } from "tap";
import { loadAccount } from "../../../protocols/bank/reference/account-file.js";
import { createBankServer } from "../../../protocols/bank/reference/server.js";
import { accountFileText, balanceReply, bank, credentials, operationRequest } from "../../../protocols/bank/spec/index.js";
import { decodeUtf8 } from "../../../transport/transcript.js";
import { bind, closeSocket } from "../../../transport/udp-server.js";
import { UdpClient } from "../../../transport/udp-socket.js";
import { startCli } from "../../support/helpers.js";

const { username, pin } = bank.defaults;
const { maxAccountFileBytes } = bank.limits;

/** Far past a start on a loaded machine: a server still neither ready nor gone by then hangs. */
const DEADLINE_MS = 20_000;

interface Served {
  outcome: "refused" | "started" | "hung";
  code: number | null;
  stderr: string;
}

/** `serve bank` on a data file: refused (its exit), started (stopped once ready), or hung (killed at the deadline). */
function serve(file: string): Promise<Served> {
  const child = startCli(["serve", "bank", "--port", "0", "--data", file]);
  let stderr = "";
  let outcome: Served["outcome"] = "refused";
  child.stderr.on("data", (chunk: Buffer) => (stderr += chunk.toString()));
  child.stdout.on("data", (chunk: Buffer) => {
    if (!chunk.toString().includes("SERVER READY")) return;
    outcome = "started";
    child.kill();
  });
  const deadline = setTimeout(() => {
    outcome = "hung";
    child.kill("SIGKILL");
  }, DEADLINE_MS);
  return new Promise((resolve) =>
    child.on("close", (code) => {
      clearTimeout(deadline);
      resolve({ outcome, code, stderr });
    }),
  );
}

const escaped = (text: string) => text.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");

/** Requires `serve bank` to refuse the file at once, with exit code 2 and one line naming it and saying why. */
async function expectRefused(t: Test, file: string, why: RegExp): Promise<void> {
  const served = await serve(file);
  t.equal(served.outcome, "refused", "refused, neither started nor hung");
  t.equal(served.code, 2, "exit code 2");
  t.match(
    served.stderr,
    new RegExp(`^sockspec: cannot use the account file ${escaped(file)}: not an account file: ${why.source}[^\\n]*\\n$`),
    "one line, naming the file",
  );
}

t.test("a symbolic link to /dev/zero is refused unread", { skip: existsSync("/dev/zero") ? false : "no /dev/zero" }, async (t) => {
  const file = path.join(t.testdir(), "user.txt");
  symlinkSync("/dev/zero", file);
  await expectRefused(t, file, /it is a device, not a regular file/);
});

t.test("a FIFO is refused without waiting for a writer", async (t) => {
  const file = path.join(t.testdir(), "user.txt");
  execFileSync("mkfifo", [file]);
  await expectRefused(t, file, /it is a FIFO, not a regular file/);
});

t.test("a file larger than maxAccountFileBytes is refused by its size, before it is read", async (t) => {
  const file = path.join(t.testdir(), "user.txt");
  writeFileSync(file, "");
  truncateSync(file, 300 * 1024 * 1024); // sparse: no disk, and no memory unless read
  await expectRefused(t, file, new RegExp(`it holds more than ${maxAccountFileBytes} bytes`));
});

t.test("an account file may hold maxAccountFileBytes bytes, and not one more", async (t) => {
  const fill = (bytes: number) => accountFileText(10n ** BigInt(bytes - accountFileText(0n, username, pin).length), username, pin);
  const [atCap, pastCap] = [path.join(t.testdir(), "at-cap.txt"), path.join(t.testdir(), "past-cap.txt")];
  writeFileSync(atCap, fill(maxAccountFileBytes));
  writeFileSync(pastCap, fill(maxAccountFileBytes + 1));
  t.equal(readFileSync(atCap).length, maxAccountFileBytes);
  t.equal((await loadAccount(atCap))?.username, username, "at the cap: loaded");
  await t.rejects(loadAccount(pastCap), /it holds more than/, "one byte past it: refused, although an account file");
});

t.test("a dangling symbolic link is refused, and left dangling", async (t) => {
  const folder = t.testdir();
  const [file, missing] = [path.join(folder, "user.txt"), path.join(folder, "moved-away.txt")];
  symlinkSync(missing, file);
  await expectRefused(t, file, /it is a symbolic link to nothing/);
  t.ok(lstatSync(file).isSymbolicLink(), "still a link");
  t.notOk(existsSync(missing), "no account written where it points");
});

t.test("a byte order mark is refused, and left in the file", async (t) => {
  const file = path.join(t.testdir(), "user.txt");
  const content = Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), Buffer.from(accountFileText(5n, username, pin))]);
  writeFileSync(file, content);
  await expectRefused(t, file, /it starts with a byte order mark/);
  t.ok(readFileSync(file).equals(content), "the file is left as it was");
});

t.test("a symbolic link to an account file is read and written through, and stays a link", async (t) => {
  const folder = t.testdir({ served: {}, accounts: { "mine.txt": accountFileText(5n, username, pin) } });
  const [link, target] = [path.join(folder, "served", "user.txt"), path.join(folder, "accounts", "mine.txt")];
  symlinkSync(path.join("..", "accounts", "mine.txt"), link);
  const server = await createBankServer({ dataFile: link });
  const port = await bind(server, "127.0.0.1", 0);
  t.teardown(() => closeSocket(server));
  const client = await UdpClient.open("127.0.0.1", port, "s1");
  t.teardown(() => client.close());
  const ask = async (datagram: string) => {
    client.send(datagram);
    const answer = await client.read(2000);
    return answer.kind === "message" ? decodeUtf8(answer.bytes) : undefined;
  };
  t.equal(await ask("b"), balanceReply(5n), "the balance of the file it points to");
  t.equal(await ask(operationRequest("deposit", "7")), bank.wireTexts.challenge);
  t.match(await ask(credentials(username, pin)), /Balance is now 12 dollar/);
  t.ok(lstatSync(link).isSymbolicLink(), "still a link after a deposit");
  t.equal(readFileSync(target, "utf8"), accountFileText(12n, username, pin), "the deposit is in the file it points to");
  t.same(readdirSync(path.join(folder, "served")), ["user.txt"], "nothing else written beside the link");
});
