import path from "node:path";
import type { ProtocolModule } from "../protocols/protocol-module.js";
import { specFolder } from "../protocols/protocol-module.js";
import { asyncApiDocument } from "./asyncapi.js";
import type { ProtocolSpec } from "./protocol.js";

/** A JSON value as a generated file holds it. */
export const jsonFile = (value: object) => `${JSON.stringify(value, null, 2)}\n`;

/** Message schemas as files, by path relative to the protocol's folder: `spec/messages/<name>.schema.json`. */
export function messageSchemaFiles(schemas: Record<string, object>): Record<string, string> {
  return Object.fromEntries(Object.entries(schemas).map(([name, schema]) => [path.join("spec", "messages", `${name}.schema.json`), jsonFile(schema)]));
}

/** A socket protocol's generated files: its message schemas and its AsyncAPI document (`spec/asyncapi.json`). */
export function socketProtocolFiles(spec: ProtocolSpec, schemas: Record<string, object>): Record<string, string> {
  return { ...messageSchemaFiles(schemas), [path.join("spec", "asyncapi.json")]: jsonFile(asyncApiDocument(spec, schemas)) };
}

/**
 * Every file generated from the protocols' documents, by absolute path, with the text it must hold: what
 * each protocol generates (message schemas, API documents), and each one's rule-ID type.
 */
export async function generatedSpecFiles(modules: readonly ProtocolModule[]): Promise<Map<string, string>> {
  const files = new Map<string, string>();
  for (const module of modules) {
    for (const [file, text] of Object.entries((await module.generatedFiles?.()) ?? {})) files.set(path.join(module.dir, file), text);
    files.set(ruleIdsPath(module), ruleIdsModule(module.spec));
  }
  return files;
}

/** Where a protocol's rule-ID type is generated: `spec/rule-ids.ts` in its folder. */
export const ruleIdsPath = (module: Pick<ProtocolModule, "dir">) => path.join(specFolder(module), "rule-ids.ts");

/**
 * A protocol's rule IDs as a TypeScript type, so that a check, a broken server or a baseline test naming a
 * rule the catalogue lacks does not compile.
 */
function ruleIdsModule(spec: ProtocolSpec): string {
  const type = `${spec.protocol[0]!.toUpperCase()}${spec.protocol.slice(1)}RuleId`;
  return [
    `// Generated from its protocol.json by \`npm run spec\`: do not edit.`,
    "",
    `/** A rule of the ${spec.title.toLowerCase()} protocol's catalogue, by its ID. */`,
    ...idUnion(`export type ${type} =`, spec.rules),
    ...(spec.clientRules?.length
      ? [
          "",
          `/** A rule of the ${spec.title.toLowerCase()} protocol's client catalogue, by its ID. */`,
          ...idUnion(`export type ${type.replace(/RuleId$/, "ClientRuleId")} =`, spec.clientRules),
        ]
      : []),
    "",
  ].join("\n");
}

/** The printer's line width (.prettierrc.json), so that the generated module is laid out as the formatter would. */
const PRINT_WIDTH = 160;

/** A union of rule IDs laid out as prettier would: on the declaration's line, on the next, or one per line. */
function idUnion(declaration: string, rules: ReadonlyArray<{ id: string }>): string[] {
  const union = `${rules.map((rule) => JSON.stringify(rule.id)).join(" | ")};`;
  if (`${declaration} ${union}`.length <= PRINT_WIDTH) return [`${declaration} ${union}`];
  if (`  ${union}`.length <= PRINT_WIDTH) return [declaration, `  ${union}`];
  return [declaration, ...rules.map((rule, i) => `  | ${JSON.stringify(rule.id)}${i === rules.length - 1 ? ";" : ""}`)];
}
