// sockspec prove on the built-in protocols: their broken servers, each proven against the whole catalogue.
import t from "tap";
import { runCli } from "./helpers.js";

t.test("the built-in protocols' broken servers are proven by sockspec prove too, in process and as processes for the rule that kills", async (t) => {
  for (const [protocol, server] of [
    ["capitalizer", "ASCII-only upper-casing"],
    ["status", "a reason phrase of its own (upper case)"],
    ["bank", "the file rewritten in place"],
  ] as const) {
    const result = await runCli(["prove", protocol, "--only", server, "--runs", "10"]);
    t.equal(result.code, 0, `${protocol}: ${result.stdout}${result.stderr}`);
    t.match(result.stdout, `PROVEN      ${server}`);
    t.match(result.stdout, "1 of 1 broken server(s) proven; coverage not judged (--only)");
  }
});
