import dgram from "node:dgram";
import { open, readFile, writeFile } from "node:fs/promises";
import { setTimeout } from "node:timers/promises";
import path from "node:path";
import { accountFileText, appliedReply, balanceChange, balanceReply, bank, deniedReply, parseOperation, type Operation } from "../../spec/bank/index.js";

/** One defect each: what a deliberately broken bank server gets wrong. */
export interface BankDefects {
  /** Sends every challenge to the first client it ever saw, as the original does. */
  challengeToFirstClient?: boolean;
  /** Keeps the balance in memory only and starts from 0. */
  notPersisted?: boolean;
  /** Applies a deposit twice. */
  depositTwice?: boolean;
  /** Echoes the amount's value instead of its text (`d007` -> `Deposited 7 ...`). */
  amountNotEchoed?: boolean;
  /** Waits for a challenge's credentials for ever. */
  challengeNeverExpires?: boolean;
  /** Stops (closes its socket, as a crash would) on a malformed amount. */
  crashesOnMalformedAmount?: boolean;
  /** Keeps one pending challenge for the whole server: anyone's next datagram answers it. */
  challengeAnsweredByAnyone?: boolean;
  /** Lets an address guess credentials for ever (a SHOULD, BANK-THROTTLE). */
  neverThrottles?: boolean;
  /** Rewrites the account file in place (truncate, then write), slowly, as on a busy disk; no rename. */
  writesInPlace?: boolean;
}

/** The challenge timeout the broken banks run with; tests pass it to the runner as the target's limit. */
export const brokenBankLimits = { challengeTimeoutMs: 300 };

/** A simple bank server (one pending challenge per address) with exactly the given defects. */
export async function createBrokenBank(workdir: string, defects: BankDefects): Promise<dgram.Socket> {
  const { wireTexts, defaults } = bank;
  const file = path.join(workdir, defaults.dataFile);
  const stored = defects.notPersisted ? undefined : await readFile(file, "utf8").catch(() => undefined);
  let balance = stored ? BigInt(stored.split("\n")[0]!) : 0n;
  const pending = new Map<string, { operation: Operation; amount: string; expires: number }>();
  let firstClient: dgram.RemoteInfo | undefined;
  const wrongAnswers = new Map<string, number>();
  const save = async () => {
    if (defects.notPersisted) return;
    if (!defects.writesInPlace) return writeFile(file, accountFileText(balance, defaults.username, defaults.pin));
    const handle = await open(file, "w"); // truncates: until the write below, the file is empty
    await setTimeout(20);
    await handle.writeFile(accountFileText(balance, defaults.username, defaults.pin));
    await handle.close();
  };
  const socket = dgram.createSocket("udp4");
  socket.on("message", async (datagram, remote) => {
    firstClient ??= remote;
    const from = defects.challengeAnsweredByAnyone ? "anyone" : `${remote.address}:${remote.port}`;
    const text = datagram.toString("utf8");
    const reply = (message: string, to = remote) => socket.send(message, to.port, to.address);
    const challenge = pending.get(from);
    if (challenge && (defects.challengeNeverExpires || challenge.expires > Date.now())) {
      pending.delete(from);
      const [user, pin] = text.split(" ");
      if (user !== `u${defaults.username}` || pin !== `p${defaults.pin}`) {
        wrongAnswers.set(from, (wrongAnswers.get(from) ?? 0) + 1);
        return reply(deniedReply(challenge.operation));
      }
      const change = balanceChange(challenge.operation, challenge.amount);
      balance += challenge.operation === "deposit" && defects.depositTwice ? 2n * change : change;
      await save();
      return reply(appliedReply(challenge.operation, defects.amountNotEchoed ? String(BigInt(challenge.amount)) : challenge.amount, balance));
    }
    if (text === "b") return reply(balanceReply(balance));
    const request = parseOperation(text);
    if (!request && defects.crashesOnMalformedAmount && /^[dw]/.test(text)) return socket.close();
    if (!request) return reply(wireTexts.improperFormat);
    if (!defects.neverThrottles && (wrongAnswers.get(from) ?? 0) >= bank.limits.maxWrongCredentials) return reply(wireTexts.throttled);
    pending.set(from, { ...request, expires: Date.now() + brokenBankLimits.challengeTimeoutMs });
    reply(wireTexts.challenge, defects.challengeToFirstClient ? firstClient : remote);
  });
  return socket;
}

/**
 * The broken banks the kit must catch: the MUST rules each fails (`fails`), those it may fail as well as a
 * consequence, depending on the inputs drawn (`mayFail`, each saying why), and the SHOULDs it breaks.
 */
export const brokenBanks: Array<{ name: string; defects: BankDefects; fails: string[]; mayFail?: string[]; warns?: string[] }> = [
  { name: "no throttle on guessed credentials", defects: { neverThrottles: true }, fails: [], warns: ["BANK-THROTTLE"] },
  // The throttle check's second client never gets its own challenge either.
  { name: "challenge sent to the first client", defects: { challengeToFirstClient: true }, fails: ["BANK-CHALLENGE-REQUESTER"], warns: ["BANK-THROTTLE"] },
  { name: "balance not persisted", defects: { notPersisted: true }, fails: ["BANK-PERSIST-RESTART", "BANK-FILE-FORMAT", "BANK-LOAD-EXISTING"] },
  {
    name: "deposit applied twice",
    defects: { depositTwice: true },
    fails: ["BANK-DEPOSIT", "BANK-MODEL", "BANK-AMOUNT-ECHO", "BANK-EXACT-BALANCE", "BANK-CHALLENGE-SAME-ADDRESS", "BANK-FILE-FORMAT", "BANK-FUZZ-SURVIVE"],
    // These make one deposit or one withdrawal per run: they show the defect when a run draws a deposit.
    mayFail: ["BANK-CHALLENGE-REQUESTER", "BANK-PERSIST-RESTART"],
  },
  { name: "amount not echoed", defects: { amountNotEchoed: true }, fails: ["BANK-AMOUNT-ECHO"] },
  { name: "a challenge that never expires", defects: { challengeNeverExpires: true }, fails: ["BANK-CHALLENGE-TIMEOUT"] },
  { name: "a crash on a malformed amount", defects: { crashesOnMalformedAmount: true }, fails: ["BANK-AMOUNT-MALFORMED", "BANK-FUZZ-SURVIVE"] },
  {
    name: "credentials taken from any address",
    defects: { challengeAnsweredByAnyone: true },
    fails: ["BANK-CHALLENGE-SAME-ADDRESS"],
    // One challenge for the whole server: another address's balance request may be taken as the fuzzer's credentials.
    mayFail: ["BANK-FUZZ-SURVIVE"],
    // One challenge for the whole server: the throttle check's exchanges are not kept apart by address either.
    warns: ["BANK-THROTTLE"],
  },
];
