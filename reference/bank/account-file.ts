import { open, readFile, rename } from "node:fs/promises";
import path from "node:path";
import { accountFileText } from "../../spec/bank/index.js";

export interface Account {
  balance: bigint;
  username: string;
  pin: string;
}

/** The file is there but is not an account file: the server refuses to start rather than overwrite it. */
export class CorruptAccountFileError extends Error {}

/** Reads the account from the legacy file format, or returns undefined when there is no file. */
export async function loadAccount(file: string): Promise<Account | undefined> {
  let text: string;
  try {
    text = await readFile(file, "utf8");
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === "ENOENT") return undefined;
    throw error;
  }
  const match = /^(-?[0-9]+)\n([^\n]*)\n([^\n]*)\n?$/.exec(text);
  if (!match) throw new CorruptAccountFileError(`${file} is not an account file (<balance>\\n<username>\\n<pin>\\n)`);
  return { balance: BigInt(match[1]!), username: match[2]!, pin: match[3]! };
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
