import path from "node:path";
import { fill, loadProtocol, protocolsDir, type ProtocolSpec, templatePattern } from "../../../kit/serve.js";

export type BankWireText =
  | "balanceRequest"
  | "depositRequest"
  | "withdrawRequest"
  | "credentials"
  | "balance"
  | "challenge"
  | "deposited"
  | "withdrew"
  | "depositDenied"
  | "withdrawDenied"
  | "improperFormat"
  | "throttled";
export type BankLimit =
  | "maxDatagramBytes"
  | "challengeTimeoutMs"
  | "maxWrongCredentials"
  | "throttleWindowMs"
  | "maxWrongCredentialsPerAccount"
  | "maxAccountFileBytes"
  | "clientReplyTimeoutMs";
export type BankSpec = ProtocolSpec<BankWireText, BankLimit> & { defaults: { username: string; pin: string; dataFile: string } };

/** The bank protocol document: the single source of its wire texts, limits, defaults and rules. */
export const bank = loadProtocol(
  path.join(protocolsDir, "bank", "spec", "protocol.json"),
  [
    "balanceRequest",
    "depositRequest",
    "withdrawRequest",
    "credentials",
    "balance",
    "challenge",
    "deposited",
    "withdrew",
    "depositDenied",
    "withdrawDenied",
    "improperFormat",
    "throttled",
  ] as const,
  [
    "maxDatagramBytes",
    "challengeTimeoutMs",
    "maxWrongCredentials",
    "throttleWindowMs",
    "maxWrongCredentialsPerAccount",
    "maxAccountFileBytes",
    "clientReplyTimeoutMs",
  ] as const,
) as BankSpec;

for (const name of ["username", "pin", "dataFile"] as const) {
  if (typeof bank.defaults?.[name] !== "string") throw new Error(`protocols/bank/spec/protocol.json: defaults.${name} is missing`);
}

const compiledTemplates = new Map<string, { pattern: RegExp; names: string[] }>();

/** The values of a filled-in wire text (integers, unless `value` says otherwise), or undefined when `text` is not that wire text. */
export function unfill(template: string, text: string, value: string | Readonly<Record<string, string>> = "-?[0-9]+"): Record<string, string> | undefined {
  const key = `${JSON.stringify(value)} ${template}`;
  let compiled = compiledTemplates.get(key);
  if (!compiled) {
    const names = [...template.matchAll(/\{(\w+)\}/g)].map((m) => m[1]!);
    const patternOf = (name: string) => (typeof value === "string" ? value : (value[name] ?? "-?[0-9]+"));
    compiled = { names, pattern: new RegExp(templatePattern(template, Object.fromEntries(names.map((name) => [name, `(${patternOf(name)})`])))) };
    compiledTemplates.set(key, compiled);
  }
  const match = compiled.pattern.exec(text);
  return match ? Object.fromEntries(compiled.names.map((name, i) => [name, match[i + 1]!])) : undefined;
}

export type Operation = "deposit" | "withdraw";

/** The reply to an operation the server applied, given the amount's text as sent and the new balance. */
export function appliedReply(operation: Operation, amount: string, balance: bigint, spec: BankSpec = bank): string {
  return fill(spec.wireTexts[operation === "deposit" ? "deposited" : "withdrew"], { amount, balance });
}

/**
 * The operation, amount as sent (whatever its form: a server that wrongly accepts `d５` acknowledges `５`)
 * and new balance of an applied-operation reply, or undefined for any other text.
 */
export function parseApplied(text: string, spec: BankSpec = bank): { operation: Operation; amount: string; balance: bigint } | undefined {
  for (const operation of ["deposit", "withdraw"] as const) {
    const values = unfill(spec.wireTexts[operation === "deposit" ? "deposited" : "withdrew"], text, { amount: "[^]*?" });
    if (values) return { operation, amount: values.amount!, balance: BigInt(values.balance!) };
  }
  return undefined;
}

/** The reply to wrong credentials for an operation. */
export function deniedReply(operation: Operation, spec: BankSpec = bank): string {
  return spec.wireTexts[operation === "deposit" ? "depositDenied" : "withdrawDenied"];
}

export function balanceReply(balance: bigint, spec: BankSpec = bank): string {
  return fill(spec.wireTexts.balance, { balance });
}

/** The balance a balance reply shows, or undefined when `text` is not a balance reply. */
export function parseBalance(text: string, spec: BankSpec = bank): bigint | undefined {
  const values = unfill(spec.wireTexts.balance, text);
  return values ? BigInt(values.balance!) : undefined;
}

/** The account file's content: `<balance>\n<username>\n<pin>\n` (the original's user.txt). */
export function accountFileText(balance: bigint, username: string, pin: string): string {
  return `${balance}\n${username}\n${pin}\n`;
}

/**
 * The account an account file's text holds (BANK-FILE-MALFORMED: exactly three lines, each ended by `\n`:
 * `-?[0-9]+`, then the username and the PIN, none of them empty or holding whitespace); undefined when the
 * text is no account file.
 */
export function parseAccountFile(text: string): { balance: bigint; username: string; pin: string } | undefined {
  const match = /^(-?[0-9]+)\n([^\p{White_Space}]+)\n([^\p{White_Space}]+)\n$/u.exec(text);
  return match ? { balance: BigInt(match[1]!), username: match[2]!, pin: match[3]! } : undefined;
}

/**
 * Whether a data file's bytes start with a UTF-8 byte order mark, which makes it no account file
 * (BANK-FILE-MALFORMED), though a UTF-8 decoder drops it unasked.
 */
export function startsWithByteOrderMark(bytes: Uint8Array): boolean {
  return bytes[0] === 0xef && bytes[1] === 0xbb && bytes[2] === 0xbf;
}

/** The credentials datagram for a username and PIN, as a client sends it. */
export function credentials(username: string, pin: string): string {
  return fill(bank.wireTexts.credentials, { username, pin });
}

/** What separates the words of credentials (BANK-CREDENTIALS-WORDS): ASCII whitespace, any amount of it. */
export const CREDENTIALS_SEPARATOR = /[ \t\n\v\f\r]+/;

/**
 * The username and PIN that credentials give (BANK-CREDENTIALS-WORDS): the first two words, each less its
 * first character (a code point, unchecked); undefined when there are fewer than two words.
 */
export function credentialsGiven(text: string): { username: string; pin: string } | undefined {
  const words = text.split(CREDENTIALS_SEPARATOR).filter(Boolean);
  if (words.length < 2) return undefined;
  const lessFirst = (word: string) => [...word].slice(1).join("");
  return { username: lessFirst(words[0]!), pin: lessFirst(words[1]!) };
}

/** The balance request, as a client sends it (anything may follow it: BANK-BALANCE-ANY-SUFFIX). */
export const balanceRequest = bank.wireTexts.balanceRequest;

/** Whether a datagram's text is a balance request (BANK-BALANCE-ANY-SUFFIX): `b`, whatever follows it. */
export function isBalanceRequest(text: string): boolean {
  return text.startsWith(balanceRequest);
}

/** A well-formed amount: one or more ASCII decimal digits. */
export const AMOUNT_DIGITS = "[0-9]+";
export const AMOUNT = new RegExp(`^${AMOUNT_DIGITS}$`);

const requestTexts = { deposit: "depositRequest", withdraw: "withdrawRequest" } as const;

/** The request datagram for an operation: its letter, then the amount's text as sent. */
export function operationRequest(operation: Operation, amount: string): string {
  return fill(bank.wireTexts[requestTexts[operation]], { amount });
}

/** What every request of an operation begins with: its letter. */
export const operationLetter = (operation: Operation): string => operationRequest(operation, "");

/** The operation a datagram requests, or undefined when it is no well-formed deposit or withdrawal. */
export function parseOperation(text: string): { operation: Operation; amount: string } | undefined {
  for (const operation of ["deposit", "withdraw"] as const) {
    const amount = unfill(bank.wireTexts[requestTexts[operation]], text, AMOUNT_DIGITS)?.amount;
    if (amount !== undefined) return { operation, amount };
  }
  return undefined;
}

/** What an applied operation adds to the balance. */
export function balanceChange(operation: Operation, amount: string): bigint {
  return operation === "deposit" ? BigInt(amount) : -BigInt(amount);
}
