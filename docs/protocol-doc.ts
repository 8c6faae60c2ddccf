import { readFileSync } from "node:fs";
import path from "node:path";
import { fixturesFor, loadFixtures } from "../conformance/fixtures.js";
import { protocolDir, type ProtocolSpec } from "../spec/protocol.js";
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
    const schema = readFileSync(path.join(protocolDir(spec.protocol), message.schema), "utf8").trim();
    lines.push(`### ${message.name} (${message.from} to ${message.from === "client" ? "server" : "client"})`, "", message.description, "");
    if (message.example !== undefined) lines.push(`Example: ${code(message.example)}`, "");
    lines.push("```json", schema, "```", "");
  }
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

/** Where the protocol document of a spec is written. */
export function protocolDocPath(spec: ProtocolSpec): string {
  return path.join("docs", "protocols", `${spec.protocol}.md`);
}
