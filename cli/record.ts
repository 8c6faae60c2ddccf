import { writeFileSync } from "node:fs";
import path from "node:path";
import { suiteOf, suites } from "../conformance/suites.js";
import { assertValid } from "../spec/validator.js";
import { hostPort } from "../transport/address.js";
import { specDir } from "../spec/paths.js";
import { startRecordProxy } from "../transport/record-proxy.js";
import { withoutTimings } from "../transport/transcript.js";
import { runUntilStopped } from "./foreground.js";
import { parse, portOption, protocolArgument, UsageError } from "./usage.js";

export const recordHelp = `Usage: sockspec record <protocol> --target HOST:PORT --out FILE [options]

A proxy between a real client and a real server: point the client at the proxy, use it, then stop the
proxy (Ctrl+C or SIGTERM); the session is written to FILE as a transcript (spec/schemas/transcript.schema.json).

  --target HOST:PORT   the server to pass traffic on to
  -o, --out FILE       where to write the transcript
  -h, --host HOST      address to listen on (default 127.0.0.1)
  --listen PORT        port to listen on (default 0: a free one, printed)
  --name NAME          the transcript's name (default: FILE's name)
  --rules ID,...       rules the session exemplifies, for use as a fixture`;

export async function runRecord(args: string[]): Promise<number> {
  const { values, positionals } = parse(
    args,
    {
      target: { type: "string" },
      out: { type: "string", short: "o" },
      host: { type: "string", short: "h" },
      listen: { type: "string" },
      name: { type: "string" },
      rules: { type: "string" },
    },
    "record",
  );
  const protocol = protocolArgument(positionals, Object.keys(suites), "record");
  const { spec } = suiteOf(protocol);
  if (values.out === undefined) throw new UsageError("record needs --out FILE");
  const [, targetHost, targetPort] = /^\[?([^\]]+?)\]?:(\d+)$/.exec(values.target ?? "") ?? [];
  if (targetHost === undefined) throw new UsageError(`record needs --target HOST:PORT, got "${values.target ?? ""}"`);
  const rules = values.rules
    ?.split(",")
    .map((id) => id.trim())
    .filter(Boolean);
  const unknown = rules?.filter((id) => !spec.rules.some((r) => r.id === id)) ?? [];
  if (unknown.length > 0) throw new UsageError(`unknown rule ID for ${protocol}: ${unknown.join(", ")}`);
  if (spec.transport === "http") throw new UsageError(`record does not proxy ${spec.transport} yet`);
  const host = values.host ?? "127.0.0.1";
  const proxy = await startRecordProxy({
    protocol,
    transport: spec.transport,
    listen: { host, port: portOption(values.listen) ?? 0 },
    target: { host: targetHost, port: portOption(targetPort)! },
  });
  await runUntilStopped(`RECORDING @ ${hostPort(host, proxy.port)} -> ${values.target}`);
  await proxy.close();
  const { events, ...recorded } = proxy.transcript();
  const transcript = {
    // Relative to where the file is written, so that editors find the schema wherever that is.
    $schema: path.relative(path.dirname(path.resolve(values.out)), path.join(specDir, "schemas", "transcript.schema.json")),
    ...recorded,
    name: values.name ?? path.basename(values.out, ".json"),
    ...(rules ? { rules } : {}),
    recordedFrom: values.target,
    events: withoutTimings(events),
  };
  assertValid("transcript.schema.json", transcript, "the recorded session");
  writeFileSync(values.out, `${JSON.stringify(transcript, null, 2)}\n`);
  process.stdout.write(`wrote ${values.out} (${events.length} events)\n`);
  return 0;
}
