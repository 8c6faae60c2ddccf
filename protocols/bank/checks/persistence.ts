import { fc, checkRecorder, converse, describeValue, failing, inWorkFolder, onePerServer, type RuleCheck, withFreshServer } from "../../../kit/index.js";
import { mkdir, readFile, writeFile } from "node:fs/promises";
import path from "node:path";
import { accountFileText, balanceChange, credentials } from "../spec/index.js";
import type { BankRuleId } from "../spec/rule-ids.js";
import { crashDurable, crashRuns } from "./crash.js";
import { BankSession, bankFolderProperty, bankProperty, rightCredentials } from "./session.js";
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
  {
    id: "BANK-PERSIST-RESTART",
    runs: onePerServer,
    property: bankFolderProperty(fc.tuple(operation, amount), async (folder, [op, sent]) => {
      const expected = balanceChange(op, sent);
      await folder.converse(async (session) => session.expectApplied(await session.socket(), op, sent, expected));
      await folder.converse(async (session) => session.expectBalance(await session.socket(), expected, " after a restart in the same folder"));
    }),
  },
  {
    id: "BANK-FILE-FORMAT",
    runs: onePerServer,
    property: bankProperty(fc.tuple(operation, amount), async (session, [op, sent], server) => {
      const expected = balanceChange(op, sent);
      await session.expectApplied(await session.socket(), op, sent, expected);
      const file = path.join(server.workdir!, dataFile);
      const content = await readFile(file, "utf8").catch((error: Error) => `(unreadable: ${error.message})`);
      if (content !== accountFileText(expected, username, pin))
        session.fail(`${dataFile} to hold ${JSON.stringify(accountFileText(expected, username, pin))}`, describeValue(content));
    }),
  },
  {
    id: "BANK-LOAD-EXISTING",
    runs: onePerServer,
    property: bankFolderProperty(fc.bigInt({ min: -(10n ** 20n), max: 10n ** 20n }), async (folder, balance) => {
      await writeFile(path.join(folder.path, dataFile), accountFileText(balance, username, pin));
      await folder.converse(async (session) => session.expectBalance(await session.socket(), balance, ` from a server started on a ${dataFile} that says so`));
    }),
  },
  {
    id: "BANK-LOAD-CREDENTIALS",
    runs: onePerServer,
    property: bankFolderProperty(fc.tuple(accountName, accountPin, operation, amount), async (folder, [name, secret, op, sent]) => {
      await writeFile(path.join(folder.path, dataFile), accountFileText(0n, name, secret));
      await folder.converse(async (session) => {
        const s1 = await session.socket();
        const fromFile = ` for the ${dataFile} of user ${JSON.stringify(name)}, PIN ${JSON.stringify(secret)}`;
        await session.expectDenied(s1, op, sent, rightCredentials, `${fromFile}: the built-in credentials are no longer right`);
        await session.expectApplied(s1, op, sent, balanceChange(op, sent), `${fromFile}, answered with them`, credentials(name, secret));
      });
    }),
  },
  {
    id: "BANK-FILE-MALFORMED",
    runs: onePerServer,
    property: (ctx, ruleState) =>
      fc.asyncProperty(malformedAccountFile, (content) =>
        inWorkFolder(async (workdir) => {
          // A server that cannot start at all would refuse every file: it must first start on no file.
          const recorder = checkRecorder("bank");
          await withFreshServer(ctx.target, (server) =>
            converse(
              new BankSession(server, ctx, ruleState, recorder),
              async (s) => void (await s.balance(await s.socket(), " from a server started on no file")),
              server,
            ),
          );
          const file = path.join(workdir, dataFile);
          await (content === "a folder" ? mkdir(file) : writeFile(file, content));
          const started = await ctx.target.start({ workdir }).catch(() => undefined);
          await started?.stop();
          const holding = content === "a folder" ? `${dataFile} that is a folder` : `${dataFile} holding ${describeValue(content.toString())}`;
          const fail = failing(ctx.timeouts, recorder);
          if (started) fail(`the server to refuse to start on a ${holding}`, "it started");
          const after = await readFile(file).catch((error: NodeJS.ErrnoException) => error.code ?? "unreadable");
          const asItWas = content === "a folder" ? after === "EISDIR" : after instanceof Buffer && after.equals(content);
          if (!asItWas) fail(`the ${holding} left as it was`, `it held ${describeValue(after.toString())}`);
        }),
      ),
  },
  {
    id: "BANK-CRASH-DURABLE",
    runs: crashRuns,
    property: crashDurable,
  },
];
