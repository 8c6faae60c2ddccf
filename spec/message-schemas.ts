import path from "node:path";
import { capitalizer } from "./capitalizer/index.js";
import { capitalizerMessageSchemas } from "./capitalizer/messages.js";
import { bank } from "./bank/index.js";
import { bankMessageSchemas } from "./bank/messages.js";
import { asyncApiDocument, asyncApiPath } from "./asyncapi.js";
import { protocolDir, type ProtocolSpec } from "./protocol.js";

/** Every file generated from the protocol documents (message schemas, AsyncAPI documents), by path, with the text it must hold. */
export function generatedSpecFiles(): Map<string, string> {
  const files = new Map<string, string>();
  const generated: Array<[string, Record<string, object>]> = [
    ["capitalizer", capitalizerMessageSchemas(capitalizer)],
    ["bank", bankMessageSchemas(bank)],
  ];
  const specs: Record<string, ProtocolSpec> = { capitalizer, bank };
  for (const [protocol, schemas] of generated) {
    for (const [name, schema] of Object.entries(schemas)) {
      files.set(path.join(protocolDir(protocol), "messages", `${name}.schema.json`), `${JSON.stringify(schema, null, 2)}\n`);
    }
    files.set(asyncApiPath(protocol), `${JSON.stringify(asyncApiDocument(specs[protocol]!, schemas), null, 2)}\n`);
  }
  return files;
}
