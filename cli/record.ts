import { writeFileSync } from "node:fs";
import path from "node:path";
import { assertValid } from "../spec/validator.js";
import { hostPort } from "../transport/address.js";
import { specDir } from "../spec/paths.js";
import { RECORDING_LIMITS, startRecordProxy } from "../transport/record-proxy.js";
import { withoutTimings } from "../transport/transcript.js";
import { runUntilStopped } from "./foreground.js";
import { chosenProtocol, protocolFolderHelp, protocolFolderOption } from "./protocol-option.js";
import { parse, portOption, UsageError } from "../conformance/usage.js";

const kib = (bytes: number) => `${bytes / 1024} KiB`;
const mib = (bytes: number) => `${bytes / 1024 / 1024} MiB`;

export const recordHelp = `Usage: sockspec record <protocol> --port PORT --out FILE [options]

A proxy between a real client and a real server: point the client at the proxy, use it, then stop the
proxy (Ctrl+C or SIGTERM); the session is written to FILE as a transcript (spec/schemas/transcript.schema.json).
The first line printed is PROXY READY @ HOST:PORT, the address to point the client at.

  -h, --host HOST      the server's host (default 127.0.0.1)
  -p, --port PORT      the server's port
  -o, --out FILE       where to write the transcript
  --proxy-host HOST    address the proxy listens on (default 127.0.0.1)
  --proxy-port PORT    port the proxy listens on (default 0: a free one)
  --name NAME          the transcript's name (default: FILE's name)
  --rules ID,...       rules the session exemplifies, for use as a fixture
${protocolFolderHelp(23)}

A recording keeps at most ${RECORDING_LIMITS.events.toLocaleString("en")} events and ${mib(RECORDING_LIMITS.bytes)} of payload, of each payload its first ${kib(RECORDING_LIMITS.keepBytes)}
(with its whole size). A session that reaches a limit (an endless reply, a flood) ends the recording there:
the proxy stops, the transcript is written with what was cut in its description, and the exit code is 1.`;

export async function runRecord(args: string[]): Promise<number> {
  const { values, positionals } = parse(
    args,
    {
      host: { type: "string", short: "h" },
      port: { type: "string", short: "p" },
      out: { type: "string", short: "o" },
      "proxy-host": { type: "string" },
      "proxy-port": { type: "string" },
      name: { type: "string" },
      rules: { type: "string" },
      ...protocolFolderOption,
    },
    "record",
  );
  const { spec } = (await chosenProtocol(positionals, values.protocol, "record")).module;
  const { protocol } = spec;
  const port = portOption(values.port);
  if (port === undefined || port === 0) throw new UsageError("record needs --port PORT, the port of the server to record");
  if (values.out === undefined) throw new UsageError("record needs --out FILE");
  const target = { host: values.host ?? "127.0.0.1", port };
  const rules = values.rules
    ?.split(",")
    .map((id) => id.trim())
    .filter(Boolean);
  const unknown = rules?.filter((id) => !spec.rules.some((r) => r.id === id)) ?? [];
  if (unknown.length > 0) throw new UsageError(`unknown rule ID for ${protocol}: ${unknown.join(", ")}`);
  if (spec.transport === "http") throw new UsageError(`record does not proxy ${spec.transport} yet`);
  const proxyHost = values["proxy-host"] ?? "127.0.0.1";
  const proxy = await startRecordProxy({
    protocol,
    transport: spec.transport,
    listen: { host: proxyHost, port: portOption(values["proxy-port"], "proxy-port") ?? 0 },
    target,
  });
  process.stderr.write(`recording the session with ${hostPort(target.host, target.port)}; stop with Ctrl+C\n`);
  const full = await Promise.race([runUntilStopped(`PROXY READY @ ${hostPort(proxyHost, proxy.port)}`).then(() => undefined), proxy.full]);
  await proxy.close();
  const { events, ...recorded } = proxy.transcript();
  const cuts = proxy.cuts();
  const transcript = {
    // Relative to where the file is written, so that editors find the schema wherever that is.
    $schema: path.relative(path.dirname(path.resolve(values.out)), path.join(specDir, "schemas", "transcript.schema.json")),
    ...recorded,
    name: values.name ?? path.basename(values.out, ".json"),
    ...(rules ? { rules } : {}),
    recordedFrom: hostPort(target.host, target.port),
    ...(cuts ? { description: `Not the whole session: ${cuts}.` } : {}),
    events: withoutTimings(events),
  };
  assertValid("transcript.schema.json", transcript, "the recorded session");
  writeFileSync(values.out, `${JSON.stringify(transcript, null, 2)}\n`);
  if (cuts) process.stderr.write(`sockspec record: not the whole session: ${cuts}\n`);
  process.stdout.write(`wrote ${values.out} (${events.length} events${full ? `, cut at the limit of ${full}` : ""})\n`);
  return full ? 1 : 0;
}
