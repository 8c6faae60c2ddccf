import path from "node:path";
import t from "tap";
import { check, spawnTarget } from "../../index.js";
import { assertValid } from "../../spec/validator.js";
import type { CapitalizerRuleId } from "../../protocols/capitalizer/spec/rule-ids.js";
import { expectBaseline, expectVerdict, originalsDir, originalsSkipReason, python } from "../support/helpers.js";

t.test(
  "a full default check of the original Python capitalizer: every rule checked, its true verdict rule by rule",
  { skip: originalsSkipReason() },
  async (t) => {
    // The defaults, as a user runs it: the spec's limits (a 60 s idle timeout, 1024 connections), 100 runs.
    const report = await check({
      protocol: "capitalizer",
      target: spawnTarget(`${python()} ${path.join(originalsDir, "tcpserver.py")}`, { host: "127.0.0.1" }),
    });
    assertValid("report.schema.json", report, "the report");
    expectVerdict<CapitalizerRuleId>(t, report, {
      // Check-then-count with a print between: racing clients are sometimes answered 11 times.
      "CAP-QUOTA-RACE": "fail",
      // The listening socket is closed when a connection ends; the next accept raises and ends the process.
      "CAP-ACCEPT-AFTER-END": "fail",
      "CAP-DISCONNECT-NO-COUNT": "fail",
      // The connection is left open and silent.
      "CAP-UTF8-INVALID-CLOSE": "timeout",
      "CAP-FUZZ-SURVIVE": "fail",
      "CAP-IDLE-TIMEOUT": "timeout",
      "CAP-CONNECTION-LIMIT": "timeout",
      "CAP-CONNECTION-LIMIT-PER-ADDRESS": "timeout",
    });
    expectBaseline(t, report, "original-capitalizer");
    const accept = report.rules.find((r) => r.id === "CAP-ACCEPT-AFTER-END")!;
    t.match(accept.detail.message, /the server crashed/);
    t.match(accept.detail.actual, /OSError/, "the crash is named with the server's last output");
    t.equal(accept.detail.transcript!.events.at(-1)!.type, "exit");
  },
);
