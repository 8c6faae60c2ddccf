// sockspec grade --client: a class of capitalizer clients graded against the client rules, the kit playing
// the server for each.
import { readFileSync } from "node:fs";
import path from "node:path";
import t from "tap";
import type { Report } from "../../conformance/report.js";
import { packageRoot } from "../../spec/paths.js";
import { originalsDir, originalsSkipReason, python, runCli } from "../support/helpers.js";

const brokenClient = path.join(packageRoot, "dist", "protocols", "capitalizer", "client", "broken-client.js");
const independentClient = path.join(packageRoot, "test", "adversarial", "independent", "capitalizer_client.py");

t.test("a class of clients graded: each client's score by the client rules, the gradebook and a report each", { skip: originalsSkipReason() }, async (t) => {
  const dir = t.testdir({
    class: {
      // Written from the docs alone: every client rule met.
      careful: { "run.sh": `exec ${python()} ${independentClient}\n` },
      // Shows only the first piece of a reply that comes in several.
      hasty: { "run.sh": `exec "${process.execPath}" ${brokenClient} first-piece-shown\n` },
      // The course's own client: one recv(1024) per reply, and no care for the end of its input.
      original: { "run.sh": `exec ${python()} ${path.join(originalsDir, "tcpclient.py")}\n` },
    },
  });
  const out = path.join(dir, "grades");
  const result = await runCli(["grade", "capitalizer", path.join(dir, "class"), "--client", "--spawn", "sh {submission}/run.sh", "--out", out, "--runs", "30"]);
  t.equal(result.code, 0, result.stderr);
  const rows = readFileSync(path.join(out, "gradebook.csv"), "utf8").trim().split("\n");
  t.equal(
    rows[0],
    "submission,score,max,CAPC-SEND-EXACT,CAPC-WAIT-REPLY,CAPC-REPLY-WHOLE,CAPC-LIMIT-END,CAPC-SERVER-CLOSE,CAPC-SIGINT-SHUTDOWN,CAPC-EOF-SHUTDOWN,problem",
    "a column per client rule",
  );
  t.equal(rows[1], "careful,7,7,pass,pass,pass,pass,pass,pass,pass,");
  t.equal(rows[2], "hasty,6,7,pass,pass,fail,pass,pass,pass,pass,");
  t.equal(rows[3], "original,3,7,pass,fail,fail,pass,fail,pass,fail,", "as its baseline says");
  const report = JSON.parse(readFileSync(path.join(out, "hasty", "report.json"), "utf8")) as Report;
  t.match(report.rules.find((r) => r.id === "CAPC-REPLY-WHOLE")!.detail.reproduce, /check-client capitalizer --spawn .+ --only CAPC-REPLY-WHOLE --seed \d+$/);
  t.match(JSON.parse(readFileSync(path.join(out, "hasty", "results.json"), "utf8")), { score: 6 }, "Gradescope's results, by the same score");
  t.match(readFileSync(path.join(out, "class.html"), "utf8"), /<code>CAPC-REPLY-WHOLE<\/code><\/td><td>1 of 3/);
});

t.test("grade --client refuses what is for servers, in one line, exit 2", async (t) => {
  const dir = t.testdir({ class: { a: {} } });
  for (const [args, message] of [
    [["--spawn-memory", "256"], /--spawn-memory is for server checks, not --client/],
    [["--limit", "quota=3"], /--limit is for server checks, not --client/],
  ] as const) {
    const result = await runCli(["grade", "capitalizer", path.join(dir, "class"), "--client", "--spawn", "{submission}/client", ...args]);
    t.equal(result.code, 2, args.join(" "));
    t.match(result.stderr, message);
  }
  const driver = await runCli(["grade", "capitalizer", path.join(dir, "class"), "--spawn", "{submission}/server", "--driver", "d.json"]);
  t.equal(driver.code, 2);
  t.match(driver.stderr, /--driver drives clients: it goes with --client/);
  const status = await runCli(["grade", "status", path.join(dir, "class"), "--client", "--spawn", "{submission}/client"]);
  t.equal(status.code, 2);
  t.match(status.stderr, /status/);
});
