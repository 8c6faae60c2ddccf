import { readFileSync } from "node:fs";
import path from "node:path";
import { fixturesFor, loadFixtures, type Fixture } from "../conformance/fixtures.js";
import { protocolDir, type Message, type ProtocolSpec } from "../spec/protocol.js";
import { validateMessage } from "../spec/validator.js";
import { formatTranscript } from "../transport/transcript.js";

const cell = (text: string) => text.replaceAll("|", "\\|").replaceAll("\n", " ");
const code = (text: string) => `\`${JSON.stringify(text).slice(1, -1)}\``;

/** The Markdown protocol document for a spec: everything in it is read from spec/ and fixtures/. */
export function protocolMarkdown(spec: ProtocolSpec): string {
  const fixtures = loadFixtures(spec.protocol);
  const lines: string[] = [
    `<!-- Generated from spec/${spec.protocol}/protocol.json by \`npm run docs\`; do not edit. -->`,
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
          `Accepted Unicode versions: ${spec.caseMapping.unicodeVersions.join(", ")}. The mappings, and each version's where they differ: \`spec/${spec.protocol}/${spec.caseMapping.table}\`.`,
          "",
        ]
      : []),
    "## Wire texts",
    "",
    "| name | exact text |",
    "| --- | --- |",
    ...Object.entries(spec.wireTexts).map(([name, text]) => `| \`${name}\` | ${code(text as string)} |`),
    "",
    "## Messages",
    "",
  ];
  for (const message of spec.messages) {
    const schemaText = readFileSync(path.join(protocolDir(spec.protocol), message.schema), "utf8").trim();
    lines.push(`### ${message.name} (${message.from} to ${message.from === "client" ? "server" : "client"})`, "", message.description, "");
    const recorded = recordedExample(fixtures, message, JSON.parse(schemaText) as object);
    if (recorded) lines.push(`Example, recorded in \`${recorded.file}\`: ${code(recorded.text)}`, "");
    else if (message.example !== undefined) lines.push(`Example: ${code(message.example)}`, "");
    lines.push("```json", schemaText, "```", "");
  }
  if (spec.stateMachine) lines.push(...stateMachine(spec.stateMachine, spec.transport));
  lines.push("## Rules", "", "| ID | level | statement | from the original |", "| --- | --- | --- | --- |");
  for (const rule of spec.rules) lines.push(`| \`${rule.id}\` | ${rule.level} | ${cell(rule.statement)} | ${cell(rule.seed)} |`);
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
