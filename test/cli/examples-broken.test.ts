// The examples' checks proven by their broken servers (sockspec prove), as a protocol author proves theirs:
// each broken server fails the rules it declares and only those, and every rule has one.
import { readFileSync, writeFileSync } from "node:fs";
import { cp } from "node:fs/promises";
import path from "node:path";
import t from "tap";
import { packageRoot } from "../../spec/paths.js";
import { examples, protocolFolders } from "./examples.js";
import { runCli } from "../support/helpers.js";

// Side by side: each proof mostly waits on its servers.
t.jobs = 3;
for (const folder of protocolFolders(examples)) {
  const name = path.relative(packageRoot, folder);
  t.test(`${name}: sockspec prove proves its checks with its broken servers`, async (t) => {
    const result = await runCli(["prove", "--protocol", folder, "--runs", "12"]);
    t.equal(result.code, 0, result.stdout + result.stderr);
    t.match(result.stdout, /^REFERENCE   passes every rule$/m);
    t.match(result.stdout, /^(\d+) of \1 broken server\(s\) proven; every rule has a broken server$/m);
    t.notMatch(result.stdout, /NOT PROVEN/);
    // A protocol with client rules proves its client checks too.
    const { clientRules } = JSON.parse(readFileSync(path.join(folder, "spec", "protocol.json"), "utf8")) as { clientRules?: unknown[] };
    if (clientRules) {
      t.match(result.stdout, /^REFERENCE   client meets every client rule$/m);
      t.match(result.stdout, /^(\d+) of \1 broken client\(s\) proven; every client rule has a broken client$/m);
    }
  });
}

t.test("a broken server that declares another rule than it breaks, and a rule no broken server breaks, are not proven", async (t) => {
  const dir = path.join(t.testdir(), "one-shot");
  await cp(path.join(examples, "one-shot"), dir, { recursive: true });
  const broken = path.join(dir, "tcp", "broken.js");
  // keeps-open is made to claim the rule title-case breaks: caught on the rule it really breaks, and ONETCP-CLOSE left without one.
  writeFileSync(broken, readFileSync(broken, "utf8").replace('fails: ["ONETCP-CLOSE"]', 'fails: ["ONETCP-REPLY-UPPER"]'));
  const result = await runCli(["prove", "--protocol", path.join(dir, "tcp"), "--runs", "12"]);
  t.equal(result.code, 1, result.stderr);
  t.match(result.stdout, /^PROVEN {6}title-case/m);
  t.match(
    result.stdout,
    /^NOT PROVEN {2}keeps-open +answers but never closes the connection: ONETCP-REPLY-UPPER\n +not caught: ONETCP-REPLY-UPPER \(.*\)\n +also unmet: ONETCP-CLOSE \w+ \(/m,
  );
  t.match(result.stdout, /2 of 3 broken server\(s\) proven; no broken server breaks ONETCP-CLOSE$/m);
});

t.test("prove names the broken servers it is asked for", async (t) => {
  const result = await runCli(["prove", "bank", "--only", "no such server"]);
  t.equal(result.code, 2);
  t.match(result.stderr, /^sockspec: no broken server or client no such server \(/);
});
