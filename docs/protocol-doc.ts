import { existsSync, readFileSync } from "node:fs";
import path from "node:path";
import { fixturesFor, loadFixtures, type Fixture } from "../conformance/fixtures.js";
import { loadBaseline } from "../conformance/baseline.js";
import { DEFAULT_TIMEOUTS } from "../conformance/runner.js";
import { packageRoot, shownPath } from "../spec/paths.js";
import { START_TIMEOUT_MS, STOP_GRACE_MS } from "../conformance/spawn.js";
import { serverTransport, specFolder, type ProtocolModule } from "../protocols/protocol-module.js";
import { limitEnvName, serverNeeds, type Message, type ProtocolSpec } from "../spec/protocol.js";
import { validateMessage } from "../spec/validator.js";
import { formatTranscript } from "../transport/transcript.js";
import { fill } from "../spec/wire-text.js";

const cell = (text: string) => text.replaceAll("|", "\\|").replaceAll("\n", " ");
const code = (text: string) => `\`${JSON.stringify(text).slice(1, -1)}\``;

/** The Markdown protocol document for a spec: everything in it is read from spec/ and fixtures/. */
export function protocolMarkdown(module: ProtocolModule): string {
  const { spec } = module;
  const fixtures = loadFixtures(module);
  const lines: string[] = [
    `<!-- Generated from ${shownPath(path.join(specFolder(module), "protocol.json"))}; do not edit. -->`,
    `# ${spec.title} protocol`,
    "",
    spec.summary,
    "",
    "## Transport and framing",
    "",
    `- Transport: ${spec.transport.toUpperCase()}, default port ${spec.defaultPort}.`,
    `- Encoding: ${spec.framing.encoding ?? "bytes"}.`,
    ...Object.entries(spec.limits).map(([name, value]) => `- \`${name}\`: ${value}`),
    "",
    spec.framing.description,
    "",
    ...(spec.framing.hazards ?? []).map((hazard) => `- ${hazard}`),
    "",
    ...(spec.caseMapping
      ? [
          "## Upper-casing",
          "",
          spec.caseMapping.description,
          "",
          `Accepted Unicode versions: ${spec.caseMapping.unicodeVersions.join(", ")}. The mappings, and each version's where they differ: \`${shownPath(path.join(specFolder(module), spec.caseMapping.table))}\`.`,
          "",
        ]
      : []),
    ...(Object.keys(spec.wireTexts).length === 0
      ? []
      : [
          "## Wire texts",
          "",
          "Each text is shown as a JSON string literal: `\\n` is a newline (byte 0x0A), `\\t` a tab (0x09), `\\\"` a double quote; `{name}` marks a value filled in. Bytes: its length in UTF-8, placeholders excluded.",
          "",
          "| name | exact text | bytes |",
          "| --- | --- | --- |",
          ...Object.entries(spec.wireTexts).map(([name, text]) => `| \`${name}\` | ${code(text as string)} | ${utf8Length(text as string)} |`),
          "",
        ]),
    "## Messages",
    "",
  ];
  for (const message of spec.messages) {
    const schemaText = readFileSync(path.join(specFolder(module), message.schema), "utf8").trim();
    lines.push(`### ${message.name} (${message.from} to ${message.from === "client" ? "server" : "client"})`, "", message.description, "");
    const recorded = recordedExample(fixtures, message, JSON.parse(schemaText) as object);
    if (recorded) lines.push(`Example, recorded in \`${recorded.file}\`: ${code(recorded.text)}`, "");
    else if (message.example !== undefined) lines.push(`Example: ${code(message.example)}`, "");
    lines.push("```json", schemaText, "```", "");
  }
  if (spec.defaultsDescription) lines.push("## State and defaults", "", fill(spec.defaultsDescription, spec.defaults ?? {}), "");
  if (spec.stateMachine) lines.push(...stateMachine(spec.stateMachine, spec.transport));
  const baseline = originalBaseline(spec);
  lines.push(...checking(module), ...departures(spec, baseline));
  const failedByOriginal = baseline?.accepted.map(({ id }) => id);
  const originalColumn = failedByOriginal ? [" the original |", " --- |"] : ["", ""];
  lines.push("## Rules", "", `| ID | level | statement | server | from the original |${originalColumn[0]}`, `| --- | --- | --- | --- | --- |${originalColumn[1]}`);
  for (const rule of spec.rules) {
    const verdict = failedByOriginal === undefined ? "" : ` ${failedByOriginal.includes(rule.id) ? "fails it (a departure, above)" : "meets it"} |`;
    lines.push(`| \`${rule.id}\` | ${rule.level} | ${cell(rule.statement)} | ${needLabel(rule.needs)} | ${cell(rule.original)} |${verdict}`);
  }
  lines.push(...clients(spec));
  if (spec.security) {
    lines.push("", "## Security considerations", "");
    for (const { topic, text } of spec.security) lines.push(`### ${topic}`, "", text, "");
    lines.pop();
  }
  lines.push("", "## Recorded sessions", "");
  for (const { file, transcript } of fixtures) {
    lines.push(`### ${transcript.name ?? file}`, "", `${transcript.description ?? ""} Recorded from ${transcript.recordedFrom ?? "?"}; replayed for ${(transcript.rules ?? []).map((id) => `\`${id}\``).join(", ")}.`, "");
    lines.push("```", formatTranscript(transcript), "```", "");
  }
  const unexampled = spec.rules.filter((rule) => fixturesFor(fixtures, rule.id).length === 0).length;
  lines.push(`${unexampled} of ${spec.rules.length} rules are checked by properties alone, with no recorded session.`, "");
  return lines.join("\n");
}

/**
 * The client rules, as `sockspec check-client` checks them with the kit playing the server, and the
 * original client's verdict on each from its baseline (baselines/original-<protocol>-client.json).
 */
function clients(spec: ProtocolSpec): string[] {
  if (!spec.clientRules?.length) return [];
  const file = path.join(packageRoot, "baselines", `original-${spec.protocol}-client.json`);
  const failed = existsSync(file) ? loadBaseline(file).accepted.map(({ id }) => id) : undefined;
  const column = failed ? [" the original client |", " --- |"] : ["", ""];
  return [
    "",
    "## Clients",
    "",
    `A client must meet these rules too. \`sockspec check-client ${spec.protocol} --spawn "CMD"\` checks one: the kit plays the server, scripted for each case (${scripted(spec)}), starts the client with HOST and PORT in its environment, drives it through its standard input (see [checking a client](../checking-a-client.md)), and judges what it sends and what it shows.${failed ? ` The original client fails ${failed.length} of the ${spec.clientRules.length}, as \`baselines/original-${spec.protocol}-client.json\` lists.` : ""}`,
    "",
    `| ID | level | statement | from the original |${column[0]}`,
    `| --- | --- | --- | --- |${column[1]}`,
    ...spec.clientRules.map(
      (rule) =>
        `| \`${rule.id}\` | ${rule.level} | ${cell(rule.statement)} | ${cell(rule.original)} |${failed ? ` ${failed.includes(rule.id) ? "fails it" : "meets it"} |` : ""}`,
    ),
  ];
}

/** What the kit's server does to a client, over the protocol's transport. */
const scripted = (spec: ProtocolSpec) =>
  serverTransport(spec) === "udp" ? "replies dropped, spoofed datagrams from another address or port" : "replies cut in pieces and delayed, closes, resets";

/** A need as the rules table's `server` column shows it: `fresh` for `fresh-server`. */
const needLabel = (need: string) => need.replace(/-server$/, "");

/** A wire text's length in UTF-8 bytes, its placeholders left out. */
function utf8Length(text: string): number {
  return Buffer.byteLength(text.replace(/\{\w+\}/g, ""), "utf8");
}

/** What `sockspec check` allows a server and needs from it: what an implementer must know besides the rules. */
function checking({ spec, tunableLimits, dir }: ProtocolModule): string[] {
  // A built-in protocol is named; one of your own is given by its folder.
  const folder = shownPath(dir);
  const named = folder.startsWith("protocols/") ? spec.protocol : `--protocol ${path.isAbsolute(folder) ? "DIR" : folder}`;
  const bound = spec.transport === "udp" ? "has bound its UDP socket to that port" : "listens on that port";
  return [
    "## Checking a server",
    "",
    `\`sockspec check ${named}\` judges a server by the rules below.`,
    "",
    `- Every answer must begin within the reply timeout, ${DEFAULT_TIMEOUTS.replyMs} ms unless the run is given \`--timeout MS\`; silence past it is a timeout. Bytes that do not yet make a whole answer are waited on for ${DEFAULT_TIMEOUTS.settleMs} ms more after the last one.`,
    tunableLimits.length > 0
      ? `- A server that runs with other limits than the ones above says so to the runner with \`--limit NAME=N\` (${tunableLimits.map((name) => `\`${name}\``).join(", ")}); the checks then expect those, and a server the runner starts finds them in its environment (${tunableLimits.map((name) => `\`${limitEnvName(name)}\``).join(", ")}).`
      : "- The limits above are not configurable: the checks expect them.",
    `- With \`--spawn CMD\`, the runner starts each server it needs with \`sh -c CMD\` in a fresh temporary working folder, with \`HOST\` and \`PORT\` in its environment (and \`{host}\` and \`{port}\` in CMD replaced by them). The server counts as started once it ${bound} (read from /proc; without /proc, once it prints a line containing \`READY\`), within ${START_TIMEOUT_MS / 1000} s. It is stopped with SIGTERM to its process group, and SIGKILL ${STOP_GRACE_MS / 1000} s later.`,
    "- The rules' `server` column says what a check does with the server:",
    ...Object.entries(serverNeeds).map(([need, words]) => `  - \`${needLabel(need)}\`: ${words}.`),
    "",
  ];
}

/**
 * Where this spec departs from the original: the rules the original fails, from its baseline (which CI
 * asserts rule by rule, unless it was read from the original's source), and what the spec's `departures`
 * lists that no rule checks.
 */
function departures(spec: ProtocolSpec, baseline: ReturnType<typeof originalBaseline>): string[] {
  if (!baseline && !spec.departures) return [];
  const level = (id: string) => spec.rules.find((rule) => rule.id === id)?.level ?? "?";
  const [original, known] = baseline?.readFromSource
    ? [`The original, ${baseline.server},`, "These come from reading its source: it does not run here, so CI cannot check it."]
    : ["The original Python server", "CI checks the original against every rule."];
  const rules = baseline
    ? [
        `${original} fails ${baseline.accepted.length} of the ${spec.rules.length} rules: there this spec requires what the rule says, not what the original does. \`baselines/original-${spec.protocol}.json\` lists them. ${known}`,
        "",
        "| ID | level | what the original does |",
        "| --- | --- | --- |",
        ...baseline.accepted.map(({ id, reason }) => `| \`${id}\` | ${level(id)} | ${cell(reason)} |`),
        "",
      ]
    : [];
  const others = spec.departures
    ? ["What no rule checks, where this spec's service differs from the original:", "", ...spec.departures.map(({ topic, text }) => `- **${topic}.** ${text}`), ""]
    : [];
  return ["## Departures from the original", "", ...rules, ...others];
}

/** The original server's baseline: the rules it fails, each with what it does instead; undefined when there is none. */
function originalBaseline(spec: ProtocolSpec): ReturnType<typeof loadBaseline> | undefined {
  const file = path.join(packageRoot, "baselines", `original-${spec.protocol}.json`);
  return existsSync(file) ? loadBaseline(file) : undefined;
}

/** The first message of this kind in the recorded sessions: what the original really sent. */
function recordedExample(fixtures: Fixture[], message: Message, schema: object): { file: string; text: string } | undefined {
  const direction = message.from === "client" ? "send" : "recv";
  for (const { file, transcript } of fixtures) {
    const event = transcript.events.find((e) => e.type === direction && e.text !== undefined && validateMessage(schema, message.name, e.text) === undefined);
    if (event) return { file, text: event.text! };
  }
  return undefined;
}

/** The state machine as a table and a Mermaid diagram (which GitHub renders). */
function stateMachine(machine: NonNullable<ProtocolSpec["stateMachine"]>, transport: ProtocolSpec["transport"]): string[] {
  const id = (state: string) => state.replace(/[^A-Za-z0-9]+/g, "_").replace(/^_|_$/g, "") || "state";
  const states = [...new Set(machine.transitions.flatMap((t) => [t.from, t.to]))];
  return [
    "## State machine",
    "",
    `Per ${{ udp: "client address", tcp: "connection", http: "request" }[transport]}, starting in \`${machine.initial}\`.`,
    "",
    "| from | on | to | the server sends |",
    "| --- | --- | --- | --- |",
    ...machine.transitions.map((t) => `| \`${t.from}\` | ${cell(t.on)} | \`${t.to}\` | ${t.sends ? cell(t.sends) : "nothing"} |`),
    "",
    "```mermaid",
    "stateDiagram-v2",
    ...states.map((state) => `  state "${state}" as ${id(state)}`),
    `  [*] --> ${id(machine.initial)}`,
    ...machine.transitions.map((t) => `  ${id(t.from)} --> ${id(t.to)} : ${t.on.replaceAll(":", " -")}${t.sends ? ` / ${t.sends}` : ""}`),
    "```",
    "",
  ];
}

/** Where the protocol document of a spec is written. */
export function protocolDocPath(spec: ProtocolSpec): string {
  return path.join("docs", "protocols", `${spec.protocol}.md`);
}
