// sockspec prove on the built-in protocols: a broken server of each, proven against the whole catalogue.
import t from "tap";
import { runCli } from "../support/helpers.js";

const cases = [
  ["capitalizer", "ASCII-only upper-casing", "in process"],
  ["status", "a reason phrase of its own (upper case)", "in process"],
  ["bank", "the file rewritten in place", "as processes of its own, for the rule that kills its servers"],
] as const;

// Side by side: each mostly waits on its servers.
t.jobs = cases.length;
for (const [protocol, server, how] of cases)
  t.test(`${protocol}: the broken "${server}" is proven, started ${how}`, async (t) => {
    const result = await runCli(["prove", protocol, "--only", server, "--runs", "10"]);
    t.equal(result.code, 0, `${result.stdout}${result.stderr}`);
    t.match(result.stdout, `PROVEN      ${server}`);
    t.match(result.stdout, "1 of 1 broken server(s) proven; coverage not judged (--only)");
  });
