import t from "tap";
import { originalsSkipReason, python, runCli } from "../support/helpers.js";

const skip = originalsSkipReason();

t.test("the CLI gives the original exit code 1 and a readable failure", { skip }, async (t) => {
  const result = await runCli([
    "check",
    "capitalizer",
    "--spawn",
    `${python()} ../shared/legacy/tcpserver.py`,
    "--only",
    "CAP-DISCONNECT-NO-COUNT,CAP-REPLY-UPPER",
    "--runs",
    "20",
  ]);
  t.equal(result.code, 1, result.stderr);
  t.match(result.stdout, /PASS\s+CAP-REPLY-UPPER/);
  t.match(result.stdout, /FAIL\s+CAP-DISCONNECT-NO-COUNT/);
  t.match(result.stdout, /expected: .*\n\s+observed: /);
  t.match(result.stdout, /reproduce: +cd \S+ && node \S+\/dist\/cli\/main\.js replay CAP-DISCONNECT-NO-COUNT@\d+:\d+(:\d+)* --spawn .* --runs 20\n/);
});
