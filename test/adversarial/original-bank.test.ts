import path from "node:path";
import t from "tap";
import { check, spawnTarget } from "../../index.js";
import { assertValid } from "../../spec/validator.js";
import type { BankRuleId } from "../../protocols/bank/spec/rule-ids.js";
import { expectBaseline, expectVerdict, originalsDir, originalsSkipReason, python } from "../support/helpers.js";

t.test("a full default check of the original Python bank: every rule checked, its true verdict rule by rule", { skip: originalsSkipReason() }, async (t) => {
  // The defaults, as a user runs it: the spec's 30 s challenge timeout, 100 runs.
  const target = spawnTarget(`${python()} ${path.join(originalsDir, "udpserver.py")}`, { host: "127.0.0.1", transport: "udp" });
  const report = await check({ protocol: "bank", target });
  assertValid("report.schema.json", report, "the report");
  const crashes = ["BANK-UNKNOWN-COMMAND", "BANK-UTF8-INVALID", "BANK-CREDENTIALS-MISSING", "BANK-CHALLENGE-SAME-ADDRESS", "BANK-FUZZ-SURVIVE"];
  expectVerdict<BankRuleId>(t, report, {
    ...Object.fromEntries(crashes.map((id) => [id, "fail" as const])),
    // It challenges first, then int() raises: the challenge is the wrong answer.
    "BANK-AMOUNT-MALFORMED": "fail",
    // It serves the first 2,048 bytes of a longer datagram.
    "BANK-DATAGRAM-OVERSIZED": "fail",
    // The challenge goes to the first client: the requester waits in vain.
    "BANK-CHALLENGE-REQUESTER": "timeout",
    "BANK-CHALLENGE-TIMEOUT": "fail",
    // Its challenges go to the first client, so the second guesser waits in vain.
    "BANK-THROTTLE": "timeout",
    // Its one guesser is the first client: the sixth request in a row is challenged, not throttled.
    "BANK-THROTTLE-WINDOW": "non-strict",
    // The second requester's deposit is taken as the first's credentials, of one word: IndexError ends it.
    "BANK-THROTTLE-PENDING": "non-strict",
    "BANK-PERSIST-RESTART": "fail",
    "BANK-LOAD-EXISTING": "fail",
    "BANK-LOAD-CREDENTIALS": "fail",
    "BANK-FILE-MALFORMED": "fail",
    "BANK-CRASH-DURABLE": "fail",
  });
  expectBaseline(t, report, "original-bank");
  for (const id of crashes) {
    const rule = report.rules.find((r) => r.id === id)!;
    t.match(rule.detail.message, /the server crashed/, `${id} names the crash`);
    t.match(rule.detail.actual, /the server exited with code 1; its last output:\n[^]*Error/, `${id} shows the Python traceback`);
  }
});
