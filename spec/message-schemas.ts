import path from "node:path";
import { capitalizer } from "../protocols/capitalizer/spec/index.js";
import { capitalizerMessageSchemas } from "../protocols/capitalizer/spec/messages.js";
import { bank } from "../protocols/bank/spec/index.js";
import { bankMessageSchemas } from "../protocols/bank/spec/messages.js";
import { asyncApiDocument, asyncApiPath } from "./asyncapi.js";
import { protocolDir, type ProtocolSpec } from "./protocol.js";
import { status } from "../protocols/status/spec/index.js";
import { statusMessageSchemas } from "../protocols/status/spec/messages.js";
import { openApiDocument, openApiPath } from "../protocols/status/spec/openapi.js";

const json = (value: object) => `${JSON.stringify(value, null, 2)}\n`;

/**
 * Every file generated from the protocol documents, by path, with the text it must hold: message schemas,
 * an AsyncAPI document per socket protocol, for the HTTP one its OpenAPI document, and each one's rule-ID type.
 */
export function generatedSpecFiles(): Map<string, string> {
  const files = new Map<string, string>();
  const generated: Array<[string, Record<string, object>]> = [
    ["capitalizer", capitalizerMessageSchemas(capitalizer)],
    ["bank", bankMessageSchemas(bank)],
    ["status", statusMessageSchemas(status)],
  ];
  const specs: Record<string, ProtocolSpec> = { capitalizer, bank, status };
  for (const [protocol, schemas] of generated) {
    for (const [name, schema] of Object.entries(schemas)) {
      files.set(path.join(protocolDir(protocol), "messages", `${name}.schema.json`), json(schema));
    }
    if (specs[protocol]!.transport === "http") {
      files.set(openApiPath(), json(openApiDocument(status, schemas)));
    } else files.set(asyncApiPath(protocol), json(asyncApiDocument(specs[protocol]!, schemas)));
  }
  for (const [protocol, spec] of Object.entries(specs)) files.set(ruleIdsPath(protocol), ruleIdsModule(spec));
  return files;
}

/** Where a protocol's rule-ID type is generated: protocols/<protocol>/spec/rule-ids.ts. */
export const ruleIdsPath = (protocol: string) => path.join(protocolDir(protocol), "rule-ids.ts");

/**
 * A protocol's rule IDs as a TypeScript type, so that a check, a broken server or a baseline test naming a
 * rule the catalogue lacks does not compile.
 */
function ruleIdsModule(spec: ProtocolSpec): string {
  const type = `${spec.protocol[0]!.toUpperCase()}${spec.protocol.slice(1)}RuleId`;
  return [
    `// Generated from protocols/${spec.protocol}/spec/protocol.json by \`npm run spec\`: do not edit.`,
    "",
    `/** A rule of the ${spec.title.toLowerCase()} protocol's catalogue, by its ID. */`,
    `export type ${type} =`,
    ...spec.rules.map((rule, i) => `  | ${JSON.stringify(rule.id)}${i === spec.rules.length - 1 ? ";" : ""}`),
    "",
  ].join("\n");
}
