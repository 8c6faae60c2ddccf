import http from "node:http";
import net from "node:net";
import t, { type Test } from "tap";
import { check } from "../../../index.js";
import { createBrokenStatusServer } from "../../../protocols/status/broken/servers.js";
import { createStatusServer } from "../../../protocols/status/reference/server.js";
import { answeredCodes, descriptionOf, reasonPhrases, status } from "../../../protocols/status/spec/index.js";
import { closeServer, listen } from "../../../transport/tcp-server.js";
import { runCli, referenceOf } from "../../support/helpers.js";

t.test("the reference status server passes every rule", async (t) => {
  const report = await check({ protocol: "status" });
  t.same(
    report.rules.filter((r) => r.outcome !== "pass").map((r) => `${r.id}: ${r.detail.message}`),
    [],
  );
  t.equal(report.summary.pass, status.rules.length);
});

async function serving(t: Test, server: http.Server): Promise<string> {
  const port = await listen(server, "127.0.0.1", 0);
  t.teardown(() => closeServer(server));
  return `http://127.0.0.1:${port}`;
}

t.test("check status --url: a server that answers 200 to everything fails with a clear report", async (t) => {
  const url = await serving(t, createBrokenStatusServer({ welcomePageForEverything: true }));
  const result = await runCli(["check", "status", "--url", url, "--runs", "10", "--shrink-time", "1000"]);
  t.equal(result.code, 1);
  t.match(result.stdout, /FAIL\s+STATUS-NOT-ALWAYS-OK\s+MUST/);
  t.match(result.stdout, /expected:\s+another status than 200 for \/\S+\n\s+observed:\s+200 OK/);
  t.match(result.stdout, /transcript:\n\s+h1 > "GET \//);
  t.match(result.stdout, /NOT CONFORMANT/);
});

t.test("check status --spawn the reference CLI, and --url against it: both pass", async (t) => {
  const spawned = await runCli(["check", "status", "--spawn", `node dist/cli/main.js serve status --port {port}`, "--runs", "10", "--reporter", "json"]);
  t.equal(spawned.code, 0, spawned.stderr);
  t.equal(JSON.parse(spawned.stdout).summary.pass, status.rules.length);
  const url = await serving(t, createStatusServer());
  const direct = await runCli(["check", "status", "--url", url, "--runs", "10"]);
  t.equal(direct.code, 0, direct.stdout);
});

t.test("probe: status, reason, time and headers for a list of codes, as a table and as JSON", async (t) => {
  const url = await serving(t, createStatusServer());
  const table = await runCli(["probe", url, "--codes", "301,403,102"]);
  t.equal(table.code, 0, table.stderr);
  const lines = table.stdout.trimEnd().split("\n");
  t.match(lines[0], /^URL\s+STATUS\s+REASON\s+TIME\s+CONTENT-TYPE\s+LOCATION$/);
  t.match(lines[1], new RegExp(`^${url}/301\\s+301\\s+Moved Permanently\\s+[0-9.]+ ms\\s+${status.wireTexts.textContentType}\\s+/$`));
  t.match(lines[2], new RegExp(`^${url}/403\\s+403\\s+Forbidden\\s+`));
  t.match(lines[3], new RegExp(`^${url}/102\\s+400\\s+Bad Request\\s+`), "1xx gets a 400");
  const json = await runCli(["probe", `${url}/418`, "--accept", "application/json", "--json"]);
  t.match(JSON.parse(json.stdout), [{ url: `${url}/418`, status: 418, reason: reasonPhrases.get(418), contentType: status.wireTexts.jsonContentType }]);
  const copied = await runCli([
    "probe",
    `${url}/302`,
    "--method",
    "POST",
    "-H",
    "X-HttpStatus-Response-Location: /elsewhere",
    "--header",
    "Origin: http://a.example",
    "--json",
  ]);
  t.match(
    JSON.parse(copied.stdout),
    [{ status: 302, location: "/elsewhere", headers: { "access-control-allow-origin": status.wireTexts.corsAllowOrigin } }],
    "headers sent, every header shown",
  );
  const unreachable = await runCli(["probe", "http://127.0.0.1:1/200", "--timeout", "500"]);
  t.equal(unreachable.code, 1, "a request without an answer exits 1");
  t.match(unreachable.stdout, /connection failed \(ECONNREFUSED\)/);
});

t.test("the reference answers every code, known to the table or not, HEAD without a body", async (t) => {
  const url = await serving(t, createStatusServer());
  const result = await runCli(["probe", url, "--codes", answeredCodes.join(","), "--method", "HEAD", "--json"]);
  const rows = JSON.parse(result.stdout) as Array<{ status: number; reason: string; contentLength?: string }>;
  t.same(
    rows.map((r) => [r.status, r.reason]),
    answeredCodes.map((code) => [code, descriptionOf(code)]),
  );
});

t.test("the reference refuses what RFC 9112 says to refuse, and reads `//200` as a path (that names no code), not a host", async (t) => {
  const server = await referenceOf("status").start();
  t.teardown(() => server.stop());
  const raw = async (request: string) => {
    const socket = net.connect(server.port, server.host);
    socket.end(request);
    let answer = "";
    for await (const chunk of socket) answer += String(chunk);
    return answer;
  };
  t.match(
    await raw("GET //200 HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n"),
    /^HTTP\/1\.1 404 Not Found\r\n[^]*\r\n\r\n404 Not Found: \/200 is not a status code/,
  );
  t.match(
    await raw("GET /200 HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: xchunked\r\n\r\n"),
    /^HTTP\/1\.1 400 Bad Request\r\n[^]*\r\n\r\n400 Bad Request: the body's length cannot be known/,
  );
});
