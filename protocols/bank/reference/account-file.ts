import { constants, type Stats } from "node:fs";
import { lstat, open, readdir, realpath, rename, rm, stat } from "node:fs/promises";
import path from "node:path";
import { accountFileText, bank, parseAccountFile, startsWithByteOrderMark } from "../spec/index.js";
import { decodeUtf8 } from "../../../kit/serve.js";

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

/** What a file that is no regular file is, for the refusal that names it. */
function kindOf(stats: Stats): string {
  if (stats.isDirectory()) return "a folder";
  if (stats.isFIFO()) return "a FIFO";
  if (stats.isCharacterDevice() || stats.isBlockDevice()) return "a device";
  if (stats.isSocket()) return "a socket";
  return "no regular file";
}

/**
 * The file's bytes, or undefined when there is no file. Only a regular file is read (through a symbolic
 * link too), and only up to `maxBytes`: a link to a device or a FIFO, a dangling link, or a file too large
 * is refused before any of it is read, so that nothing the folder holds can hang the server or fill its memory.
 */
async function readAccountBytes(file: string, maxBytes: number): Promise<Buffer | undefined> {
  const refuse = (why: string) => new AccountFileError(file, `not an account file: ${why}`);
  const failed = (error: NodeJS.ErrnoException) => new AccountFileError(file, error.code ?? error.message);
  const target = await stat(file).catch(async (error: NodeJS.ErrnoException) => {
    if (error.code !== "ENOENT") throw failed(error);
    // A link to nothing is there, broken: only no entry at all is a new account.
    if (await lstat(file).catch(() => undefined)) throw refuse("it is a symbolic link to nothing");
    return undefined;
  });
  if (target === undefined) return undefined;
  if (!target.isFile()) throw refuse(`it is ${kindOf(target)}, not a regular file`);
  const tooLarge = refuse(`it holds more than ${maxBytes} bytes, the most an account file may hold`);
  if (target.size > maxBytes) throw tooLarge;
  // Non-blocking, and checked again once open: a FIFO put there since the check cannot hang the open.
  const handle = await open(file, constants.O_RDONLY | constants.O_NONBLOCK).catch((error: NodeJS.ErrnoException) => {
    throw failed(error);
  });
  try {
    const opened = await handle.stat();
    if (!opened.isFile()) throw refuse(`it is ${kindOf(opened)}, not a regular file`);
    // One byte more than may be kept: a file that grew since the check shows it.
    const buffer = Buffer.alloc(maxBytes + 1);
    let length = 0;
    while (length < buffer.length) {
      const { bytesRead } = await handle.read(buffer, length, buffer.length - length, length);
      if (bytesRead === 0) break;
      length += bytesRead;
    }
    if (length > maxBytes) throw tooLarge;
    return buffer.subarray(0, length);
  } finally {
    await handle.close();
  }
}

/**
 * Reads the account from the original's file format, or returns undefined when there is no file. A file that
 * is there but not whole (no PIN, an empty line, Windows line ends, a stray space, a byte order mark) is
 * refused rather than guessed at: read loosely, a damaged file could let anyone in, or nobody.
 */
export async function loadAccount(file: string, maxBytes = bank.limits.maxAccountFileBytes): Promise<Account | undefined> {
  const bytes = await readAccountBytes(file, maxBytes);
  if (bytes === undefined) return undefined;
  // The decoder would drop it unseen, and the next save would write the file without it.
  if (startsWithByteOrderMark(bytes)) throw new AccountFileError(file, "not an account file: it starts with a byte order mark (EF BB BF)");
  const text = decodeUtf8(bytes);
  if (text === undefined) throw new AccountFileError(file, "not an account file: it is not UTF-8");
  const account = parseAccountFile(text);
  if (!account)
    throw new AccountFileError(file, `not an account file: it must hold <balance>\\n<username>\\n<pin>\\n, each line non-empty, with no spaces or \\r`);
  return account;
}

/**
 * Where the account is written: the file a symbolic link points to, so that saving it writes the link's
 * target and leaves the link a link; the path itself when there is no file yet.
 */
export async function accountTarget(file: string): Promise<string> {
  return realpath(file).catch((error: NodeJS.ErrnoException) => {
    if (error.code === "ENOENT") return file;
    throw new AccountFileError(file, error.code ?? error.message);
  });
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
