import { writeFileSync } from "node:fs";
import { chosenProtocol, protocolFolderHelp, protocolFolderOption } from "./protocol-option.js";
import { parse } from "../conformance/usage.js";

export const docsHelp = `Usage: sockspec docs <protocol> [options]

Prints the protocol's document in Markdown, generated from its spec as docs/protocols/ is: its framing,
limits, messages with their schemas and recorded examples, state machine and rules.

  -o, --out FILE    write it to FILE instead
${protocolFolderHelp(20)}`;

export async function runDocs(args: string[]): Promise<number> {
  const { values, positionals } = parse(args, { out: { type: "string", short: "o" }, ...protocolFolderOption }, "docs");
  const { module } = await chosenProtocol(positionals, values.protocol, "docs");
  const { protocolMarkdown } = await import("../docs/protocol-doc.js");
  const markdown = protocolMarkdown(module);
  if (values.out === undefined) process.stdout.write(markdown);
  else writeFileSync(values.out, markdown);
  return 0;
}
