import { open, readdir, readFile, rename, rm } from "node:fs/promises";
import path from "node:path";
import { accountFileText, parseAccountFile } from "../spec/index.js";
import { decodeUtf8 } from "../../../transport/transcript.js";

export interface Account {
  balance: bigint;
  username: string;
  pin: string;
}

/** The account file cannot be used (unreadable, or not an account file): the server refuses to start, naming it. */
export class AccountFileError extends Error {
  constructor(
    readonly file: string,
    why: string,
  ) {
    super(`${file}: ${why}`);
  }
}

/**
 * Reads the account from the legacy file format, or returns undefined when there is no file. A file that
 * is there but not whole (no PIN, an empty line, Windows line ends, a stray space) is refused rather than
 * guessed at: read loosely, a damaged file could let anyone in, or nobody.
 */
export async function loadAccount(file: string): Promise<Account | undefined> {
  let bytes: Buffer;
  try {
    bytes = await readFile(file);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === "ENOENT") return undefined;
    throw new AccountFileError(file, (error as NodeJS.ErrnoException).code ?? (error as Error).message);
  }
  const text = decodeUtf8(bytes);
  if (text === undefined) throw new AccountFileError(file, "not an account file: it is not UTF-8");
  const account = parseAccountFile(text);
  if (!account)
    throw new AccountFileError(file, `not an account file: it must hold <balance>\\n<username>\\n<pin>\\n, each line non-empty, with no spaces or \\r`);
  return account;
}

/** Removes temporary files that writes cut short by a kill left in the folder (`.user.txt.<pid>.tmp`). */
export async function removeStaleTemporaries(file: string): Promise<void> {
  const prefix = `.${path.basename(file)}.`;
  const names = await readdir(path.dirname(file)).catch(() => [] as string[]);
  await Promise.all(
    names.filter((name) => name.startsWith(prefix) && name.endsWith(".tmp")).map((name) => rm(path.join(path.dirname(file), name), { force: true })),
  );
}

/**
 * Writes the account so that a crash at any moment leaves either the old file or the new one, whole:
 * write a temporary file, fsync it, rename it over the old one, fsync the folder.
 */
export async function saveAccount(file: string, account: Account): Promise<void> {
  const temporary = path.join(path.dirname(file), `.${path.basename(file)}.${process.pid}.tmp`);
  const handle = await open(temporary, "w");
  try {
    await handle.writeFile(accountFileText(account.balance, account.username, account.pin));
    await handle.sync();
  } finally {
    await handle.close();
  }
  await rename(temporary, file);
  const folder = await open(path.dirname(file), "r");
  try {
    await folder.sync();
  } finally {
    await folder.close();
  }
}
