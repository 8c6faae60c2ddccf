import dgram from "node:dgram";
import net from "node:net";
import { timingSafeEqual } from "node:crypto";
import {
  appliedReply,
  balanceChange,
  balanceReply,
  bank,
  credentialsGiven,
  deniedReply,
  isBalanceRequest,
  parseOperation,
  type BankSpec,
  type Operation,
} from "../spec/index.js";
import { decodeUtf8 } from "../../../kit/serve.js";
import { AccountFileError, accountTarget, loadAccount, removeStaleTemporaries, saveAccount, type Account } from "./account-file.js";
import { GroupCommitAccount } from "./group-commit.js";

export interface BankServerOptions {
  /** The account file; created with the spec's default account when missing. Through a symbolic link, the link's target is written. */
  dataFile: string;
  spec?: BankSpec;
  /** How long a challenge waits for its credentials; the spec's challengeTimeoutMs by default. */
  challengeTimeoutMs?: number;
  /** How long a wrong answer counts towards the throttle; the spec's throttleWindowMs by default. */
  throttleWindowMs?: number;
  /** The address it will be bound to: an IPv6 one needs a udp6 socket. */
  host?: string;
}

interface Guesses {
  wrong: number;
  /** When the last wrong answer came (ms since the epoch). */
  last: number;
}

/** Past this many addresses a map of per-address state is swept of expired entries on each insert. */
const SWEEP_ABOVE = 1024;

/** Keeps per-address state from growing with every address ever seen: drops the expired entries of a large map. */
function forgetExpired<V>(map: Map<string, V>, expired: (value: V) => boolean): void {
  if (map.size <= SWEEP_ABOVE) return;
  for (const [key, value] of map) if (expired(value)) map.delete(key);
}

interface Pending {
  operation: Operation;
  amount: string;
  expires: number;
}

const equalText = (a: string, b: string) => {
  const [x, y] = [Buffer.from(a), Buffer.from(b)];
  return x.length === y.length && timingSafeEqual(x, y);
};

/** An answer, and whether it shows the balance (and so may only be sent once that balance is on disk). */
interface Answer {
  reply: string;
  showsBalance: boolean;
}

/**
 * The reference bank server. Datagrams are handled one at a time, in arrival order, so two changes never
 * interleave; changes are written with group commit, and an answer that shows the balance is sent only
 * once that balance is on disk, so a reply never runs ahead of the disk. Challenges are kept per
 * requester address.
 */
export async function createBankServer(options: BankServerOptions): Promise<dgram.Socket> {
  const spec = options.spec ?? bank;
  const { wireTexts, defaults } = spec;
  const timeoutMs = options.challengeTimeoutMs ?? spec.limits.challengeTimeoutMs;
  const loaded: Account = (await loadAccount(options.dataFile)) ?? { balance: 0n, username: defaults.username, pin: defaults.pin };
  const file = await accountTarget(options.dataFile);
  await removeStaleTemporaries(file);
  // Fails at start, not at the first deposit, if the folder is not writable.
  await saveAccount(file, loaded).catch((error: NodeJS.ErrnoException) => {
    throw new AccountFileError(options.dataFile, `cannot be written (${error.code ?? error.message})`);
  });
  const store = new GroupCommitAccount(file, loaded);
  const { account } = store;
  const pending = new Map<string, Pending>();
  const guesses = new Map<string, Guesses>();
  // A window since the last wrong answer that has passed leaves a clean slate.
  const throttleWindowMs = options.throttleWindowMs ?? spec.limits.throttleWindowMs;
  const stale = (guessed: Guesses) => Date.now() - guessed.last >= throttleWindowMs;
  const wrongAnswers = (from: string) => {
    const guessed = guesses.get(from);
    return guessed && !stale(guessed) ? guessed.wrong : 0;
  };
  // Guesses count per IP address (a new source port is free to take) and for the account from everyone.
  const ipOf = (from: string) => from.slice(0, from.lastIndexOf(":"));
  const ACCOUNT = "(the account)";
  const throttled = (from: string) =>
    wrongAnswers(ipOf(from)) >= spec.limits.maxWrongCredentials || wrongAnswers(ACCOUNT) >= spec.limits.maxWrongCredentialsPerAccount;
  const guessedWrong = (from: string) => {
    for (const key of [ipOf(from), ACCOUNT]) guesses.set(key, { wrong: wrongAnswers(key) + 1, last: Date.now() });
    forgetExpired(guesses, stale);
  };

  const says = (reply: string): Answer => ({ reply, showsBalance: false });
  const shows = (reply: string): Answer => ({ reply, showsBalance: true });

  function answer(datagram: Buffer, from: string): Answer {
    const text = decodeUtf8(datagram);
    const challenge = pending.get(from);
    if (challenge && challenge.expires > Date.now()) {
      pending.delete(from);
      // Credentials that cannot be read whole are wrong, whatever their first bytes hold.
      return settle(challenge, datagram.length > spec.limits.maxDatagramBytes ? "" : (text ?? ""), from);
    }
    pending.delete(from);
    if (text === undefined || datagram.length > spec.limits.maxDatagramBytes) return says(wireTexts.improperFormat);
    if (isBalanceRequest(text)) return shows(balanceReply(account.balance, spec));
    const request = parseOperation(text);
    if (!request) return says(wireTexts.improperFormat);
    if (throttled(from)) return says(wireTexts.throttled);
    pending.set(from, { ...request, expires: Date.now() + timeoutMs });
    forgetExpired(pending, (p) => p.expires <= Date.now());
    return says(wireTexts.challenge);
  }

  function settle({ operation, amount }: Pending, credentials: string, from: string): Answer {
    // Judged now, not only when the challenge was sent: challenges opened before the throttle are no free
    // guesses. Unjudged, every such answer counts as wrong, so that its effect tells nothing about it.
    if (throttled(from)) {
      guessedWrong(from);
      return says(wireTexts.throttled);
    }
    const given = credentialsGiven(credentials);
    // Both compared, always, so the time taken does not tell which was wrong.
    const right = given !== undefined && [equalText(given.username, account.username), equalText(given.pin, account.pin)].every(Boolean);
    if (!right) {
      guessedWrong(from);
      return says(deniedReply(operation, spec));
    }
    const balance = account.balance + balanceChange(operation, amount);
    store.setBalance(balance);
    return shows(appliedReply(operation, amount, balance, spec));
  }

  const socket = dgram.createSocket({ type: net.isIPv6(options.host ?? "") ? "udp6" : "udp4" });
  socket.on("message", (datagram, remote) => {
    const { reply, showsBalance } = answer(datagram, `${remote.address}:${remote.port}`);
    if (!showsBalance) return socket.send(reply, remote.port, remote.address);
    store.durable().then(
      () => socket.send(reply, remote.port, remote.address),
      // The disk failed: the change was undone, so it is not acknowledged either.
      (error: Error) => process.emitWarning(`bank: ${error.message}`),
    );
  });
  // Until it is bound, an error is the binder's to report (a bad address is bad input, not a warning).
  let bound = false;
  socket.once("listening", () => (bound = true));
  socket.on("error", (error) => bound && process.emitWarning(`bank: ${error.message}`));
  return socket;
}
