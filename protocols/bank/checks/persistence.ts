import { fc, describeValue, type RuleCheck } from "../../../kit/index.js";
import { mkdir, readFile, rm, writeFile } from "node:fs/promises";
import path from "node:path";
import { accountFileText, balanceChange, credentials } from "../spec/index.js";
import type { BankRuleId } from "../spec/rule-ids.js";
import { crashDurable } from "./crash.js";
import { check, rightCredentials } from "./session.js";
import { amount, dataFile, operation, pin, username } from "./shared.js";

/** Another account's username and PIN, as a data file may hold them (never the built-in ones). */
const accountName = fc.stringMatching(/^[a-z][a-z0-9]{0,11}$/).filter((name) => name !== username);

const accountPin = fc.stringMatching(/^[0-9]{4,8}$/).filter((secret) => secret !== pin);

/** A data file that is no account file: BANK-FILE-MALFORMED's. */
const malformedAccountFile: fc.Arbitrary<Buffer | "a folder"> = fc.constantFrom(
  ...[
    "",
    "\n",
    `abc\n${username}\n${pin}\n`,
    `5\n${username}\n`,
    `5\n${username}\n${pin}`,
    `5\r\n${username}\r\n${pin}\r\n`,
    `5\n\n${pin}\n`,
    `5 \n${username}\n${pin}\n`,
    `5\n${username} x\n${pin}\n`,
    `5\n${username}\u00a0x\n${pin}\n`, // Unicode whitespace
    `5\n${username}\n${pin}\nextra\n`,
    `1.5\n${username}\n${pin}\n`,
    `+5\n${username}\n${pin}\n`,
    `\ufeff5\n${username}\n${pin}\n`, // a byte order mark, which a UTF-8 decoder may drop unasked
  ].map((text) => Buffer.from(text)),
  Buffer.concat([Buffer.from(`5\n${username}`), Buffer.from([0xff]), Buffer.from(`\n${pin}\n`)]), // not UTF-8
  "a folder" as const, // there, but no file to read
);

/** The account file: kept across restarts and kills, in the original's format, loaded, and refused when malformed. */
export const persistenceChecks: Array<RuleCheck<BankRuleId>> = [
  check({
    id: "BANK-PERSIST-RESTART",
    servers: "folder",
    inputs: fc.tuple(operation, amount),
    run: async (folder, [op, sent]) => {
      const expected = balanceChange(op, sent);
      await folder.converse(async (session) => session.expectApplied(await session.socket(), op, sent, expected));
      await folder.converse(async (session) => session.expectBalance(await session.socket(), expected, " after a restart in the same folder"));
    },
  }),
  check({
    id: "BANK-FILE-FORMAT",
    servers: "fresh",
    inputs: fc.tuple(operation, amount),
    run: async (session, [op, sent], server) => {
      const expected = balanceChange(op, sent);
      await session.expectApplied(await session.socket(), op, sent, expected);
      const file = path.join(server.workdir!, dataFile);
      const content = await readFile(file, "utf8").catch((error: Error) => `(unreadable: ${error.message})`);
      if (content !== accountFileText(expected, username, pin))
        session.fail(`${dataFile} to hold ${JSON.stringify(accountFileText(expected, username, pin))}`, describeValue(content));
    },
  }),
  check({
    id: "BANK-LOAD-EXISTING",
    servers: "folder",
    inputs: fc.bigInt({ min: -(10n ** 20n), max: 10n ** 20n }),
    run: async (folder, balance) => {
      await writeFile(path.join(folder.path, dataFile), accountFileText(balance, username, pin));
      await folder.converse(async (session) => session.expectBalance(await session.socket(), balance, ` from a server started on a ${dataFile} that says so`));
    },
  }),
  check({
    id: "BANK-LOAD-CREDENTIALS",
    servers: "folder",
    inputs: fc.tuple(accountName, accountPin, operation, amount),
    run: async (folder, [name, secret, op, sent]) => {
      await writeFile(path.join(folder.path, dataFile), accountFileText(0n, name, secret));
      await folder.converse(async (session) => {
        const s1 = await session.socket();
        const fromFile = ` for the ${dataFile} of user ${JSON.stringify(name)}, PIN ${JSON.stringify(secret)}`;
        await session.expectDenied(s1, op, sent, rightCredentials, `${fromFile}: the built-in credentials are no longer right`);
        await session.expectApplied(s1, op, sent, balanceChange(op, sent), `${fromFile}, answered with them`, credentials(name, secret));
      });
    },
  }),
  check({
    id: "BANK-FILE-MALFORMED",
    servers: "folder",
    inputs: malformedAccountFile,
    run: async (folder, content) => {
      // A server that cannot start at all would refuse every file: it must first start on no file.
      const session = await folder.converse(async (first) => {
        await first.balance(await first.socket(), " from a server started on no file");
        return first;
      });
      const file = path.join(folder.path, dataFile);
      await rm(file, { recursive: true, force: true }); // whatever the first server left
      await (content === "a folder" ? mkdir(file) : writeFile(file, content));
      const holding = content === "a folder" ? `${dataFile} that is a folder` : `${dataFile} holding ${describeValue(content.toString())}`;
      if (await folder.starts()) session.fail(`the server to refuse to start on a ${holding}`, "it started");
      const after = await readFile(file).catch((error: NodeJS.ErrnoException) => error.code ?? "unreadable");
      const asItWas = content === "a folder" ? after === "EISDIR" : after instanceof Buffer && after.equals(content);
      if (!asItWas) session.fail(`the ${holding} left as it was`, `it held ${describeValue(after.toString())}`);
    },
  }),
  crashDurable,
];
