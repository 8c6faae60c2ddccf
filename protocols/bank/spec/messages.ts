import { escapeRegExp, templatePattern } from "../../../kit/serve.js";
import { AMOUNT_DIGITS, type BankSpec } from "./index.js";

/**
 * The JSON Schema of each bank message, derived from the protocol document so that each wire text is
 * written once (in protocol.json). `npm run spec` writes them to protocols/bank/spec/messages/.
 */
export function bankMessageSchemas(spec: BankSpec): Record<string, object> {
  const { wireTexts, limits } = spec;
  const schema = (name: string, title: string, body: object) => ({
    $schema: "https://json-schema.org/draft/2020-12/schema",
    $id: `https://sockspec.dev/bank/messages/${name}.schema.json`,
    title,
    ...body,
  });
  const bytesNote = { $comment: `At most ${limits.maxDatagramBytes} bytes once UTF-8 encoded; the runner checks bytes.` };
  const amount = AMOUNT_DIGITS;
  const balance = "-?[0-9]+";
  const [space, word] = ["[\\t\\n\\v\\f\\r ]", "[^\\t\\n\\v\\f\\r ]+"];
  return {
    // `b` whatever follows it (BANK-BALANCE-ANY-SUFFIX).
    "balance-request": schema("balance-request", "Bank balance request (client to server)", {
      type: "string",
      pattern: `^${escapeRegExp(wireTexts.balanceRequest)}`,
      ...bytesNote,
    }),
    "deposit-request": schema("deposit-request", "Bank deposit request (client to server)", {
      type: "string",
      pattern: templatePattern(wireTexts.depositRequest, { amount }),
      ...bytesNote,
    }),
    "withdraw-request": schema("withdraw-request", "Bank withdraw request (client to server)", {
      type: "string",
      pattern: templatePattern(wireTexts.withdrawRequest, { amount }),
      ...bytesNote,
    }),
    credentials: schema("credentials", "Bank credentials, the answer to a challenge (client to server)", {
      type: "string",
      // Two words or more, split by ASCII whitespace; each word's first character is unchecked (BANK-CREDENTIALS-WORDS).
      pattern: `^${space}*${word}${space}+${word}`,
      ...bytesNote,
    }),
    "balance-reply": schema("balance-reply", "Bank balance reply (server to client)", {
      type: "string",
      pattern: templatePattern(wireTexts.balance, { balance }),
    }),
    challenge: schema("challenge", "Bank challenge (server to client)", { const: wireTexts.challenge }),
    deposited: schema("deposited", "Bank deposit applied (server to client)", {
      type: "string",
      pattern: templatePattern(wireTexts.deposited, { amount, balance }),
    }),
    withdrew: schema("withdrew", "Bank withdrawal applied (server to client)", {
      type: "string",
      pattern: templatePattern(wireTexts.withdrew, { amount, balance }),
    }),
    denied: schema("denied", "Bank wrong credentials (server to client)", { enum: [wireTexts.depositDenied, wireTexts.withdrawDenied] }),
    "improper-format": schema("improper-format", "Bank improper format (server to client)", { const: wireTexts.improperFormat }),
    throttled: schema("throttled", "Bank too many wrong credentials (server to client)", { const: wireTexts.throttled }),
  };
}
