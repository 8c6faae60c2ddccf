import t from "tap";
import { runCli } from "../../support/helpers.js";

// Every bad command line gets one line in the user's words on stderr and exit 2: a table, one CLI run each.
const badArguments: Array<[string[], RegExp]> = [
  [[], /Usage/],
  [["frobnicate"], /unknown command "frobnicate"/],
  [["check"], /check needs a protocol/],
  [["check", "gopher"], /unknown protocol "gopher"/],
  [["check", "capitalizer", "--port", "99999"], /--port must be an integer from 0 to 65535/],
  [["check", "capitalizer", "--port", "abc"], /--port must be an integer/],
  [["check", "capitalizer", "--runs", "0"], /--runs must be an integer from 1/],
  [["check", "capitalizer", "--reporter", "xml"], /--reporter must be one of human, json, tap, junit, html, ndjson/],
  [["check", "capitalizer", "--port", "1", "--spawn", "x"], /either --port or --spawn/],
  [["check", "capitalizer", "--only", "CAP-NOPE"], /unknown rule ID/],
  [["check", "capitalizer", "--only", "CAP-NOPE-*"], /unknown rule ID for capitalizer: CAP-NOPE-\*/],
  [["check", "capitalizer", "--only", "CAP-QUOTA-*", "--exclude", "CAP-*"], /the selection leaves no rule to check/],
  [["check", "capitalizer", "--bogus"], /^sockspec: unknown option --bogus \(sockspec check --help lists the options\)$/m],
  [["check", "capitalizer", "--port", "-1"], /--port needs a value; for one that starts with "-", write --port=VALUE/],
  [["check", "capitalizer", "--port=-1"], /--port must be an integer from 0 to 65535, got "-1"/],
  [
    ["serve", "bank", "--host", "8.8.8.8", "--port", "0", "--data", "/nonexistent-folder/user.txt"],
    /^sockspec: cannot use the account file \/nonexistent-folder\/user\.txt: cannot be written \(ENOENT\)$/m,
  ],
  [["serve", "capitalizer", "--limit=quota=-1"], /--limit quota must be an integer from 0/],
  [["serve", "capitalizer", "--limit", "quota=ten"], /--limit quota must be an integer/],
  [
    ["serve", "capitalizer", "--limit", "10"],
    /--limit takes NAME=N with NAME one of: quota, idleTimeoutMs, closeGraceMs, maxConnections, maxConnectionsPerAddress; got "10"/,
  ],
  [["serve", "bank", "--limit", "quota=3"], /--limit takes NAME=N with NAME one of: challengeTimeoutMs, throttleWindowMs; got "quota=3"/],
  [["serve", "capitalizer", "--limit", "maxConnections=0"], /--limit maxConnections must be an integer from 1/],
  [["serve", "capitalizer", "--limit", "idleTimeoutMs=3000000000"], /--limit idleTimeoutMs must be an integer from 1 to 86400000/],
  [
    ["serve", "capitalizer", "--idle-timeout", "5"],
    /unknown option --idle-timeout: it is now --limit idleTimeoutMs=MS \(sockspec serve --help lists the options\)/,
  ],
  [["serve", "status", "--data", "x.txt"], /--data is for bank, not status/],
  [["client", "bank", "--timeout", "0"], /--timeout must be an integer from 1/],
  [["client", "gopher"], /unknown protocol "gopher"/],
  [["serve", "bank", "--limit", "challengeTimeoutMs=0"], /--limit challengeTimeoutMs must be an integer from 1/],
  [["check", "bank", "--limit", "foo=3"], /--limit takes NAME=N with NAME one of: challengeTimeoutMs, throttleWindowMs; got "foo=3"/],
  [["check", "bank", "--limit", "challengeTimeoutMs"], /--limit takes NAME=N/],
  [["check", "bank", "--limit", "challengeTimeoutMs=0"], /--limit challengeTimeoutMs must be an integer from 1/],
  [["check", "capitalizer", "--limit", "quota=3"], /NAME one of: idleTimeoutMs, closeGraceMs, maxConnections, maxConnectionsPerAddress; got "quota=3"/],
  [["check", "capitalizer", "--limit", "maxConnectionsPerAddress=4"], /--limit: maxConnectionsPerAddress must be at least the quota \(10\), got 4/],
  [["docs"], /docs needs a protocol/],
  [["docs", "bank", "--protocol", "examples/one-shot/tcp"], /give a protocol's name or --protocol DIR, not both/],
  [["check", "--protocol", "/nonexistent-folder"], /--protocol: \/nonexistent-folder is not a folder/],
  [["check", "--protocol", "spec"], /--protocol: spec has no index\.js/],
  [["bench", "capitalizer", "--workload", "deposit"], /--workload is for bank, not capitalizer/],
  [["bench", "bank", "--connections", "3"], /unknown option --connections: it is now --clients N/],
  [["bench", "bank", "--workload", "withdraw"], /--workload must be one of balance, deposit, got "withdraw"/],
  [["bench", "capitalizer", "--duration", "1", "--requests", "5"], /either --duration or --requests/],
  [["bench", "capitalizer", "--rate", "0"], /--rate must be an integer from 1/],
  [["bench", "capitalizer", "--port", "0"], /--port must name the port the server listens on/],
  [["check", "status", "--url", "ftp://127.0.0.1:21"], /--url must be an http:\/\/ URL/],
  [["check", "status", "--url", "http://127.0.0.1:8080/403"], /--url must name a server, without a path or query/],
  [["check", "status", "--url", "not a url"], /--url must be a URL such as/],
  [["check", "status", "--url", "http://127.0.0.1:8080", "--port", "8080"], /give --url or --host\/--port\/--spawn, not both/],
  [["check", "capitalizer", "--url", "http://127.0.0.1:8080"], /--url is for HTTP protocols; capitalizer takes --host and --port/],
  [["probe"], /probe needs at least one URL/],
  [["probe", "127.0.0.1:8080"], /"127.0.0.1:8080" is not a URL/],
  [["probe", "ftp://127.0.0.1/"], /is not an http:\/\/ or https:\/\/ URL/],
  [["probe", "http://127.0.0.1:8080", "--codes", "200,abc"], /--codes must be an integer from 100 to 999, got "abc"/],
  [["probe", "http://127.0.0.1:8080", "--method", "BREW"], /--method must be one of GET, HEAD, POST/],
  [["probe", "http://127.0.0.1:8080", "--header", "no colon"], /--header must be .NAME: VALUE./],
];

// Each is a process of its own that mostly starts up: a few at a time.
t.jobs = 4;

for (const [args, message] of badArguments) {
  t.test(`sockspec ${args.join(" ") || "(nothing)"}: one line on stderr, exit 2`, async (t) => {
    const result = await runCli(args);
    t.equal(result.code, 2);
    const stderr = args.length === 0 ? result.stdout : result.stderr;
    t.match(stderr, message);
    if (args.length > 0) t.equal(result.stderr.trimEnd().split("\n").length, 1, "one line");
  });
}

t.test("serve with a limit from the environment that is no number: one line naming where it came from, exit 2", async (t) => {
  const result = await runCli(["serve", "capitalizer", "--port", "0"], { env: { IDLE_TIMEOUT_MS: "soon" } });
  t.equal(result.code, 2);
  t.match(result.stderr, /^sockspec: from the environment: --limit idleTimeoutMs must be an integer from 1 to 86400000, got "soon"\n$/);
});
