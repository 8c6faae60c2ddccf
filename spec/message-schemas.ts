import path from "node:path";
import { capitalizer } from "./capitalizer/index.js";
import { capitalizerMessageSchemas } from "./capitalizer/messages.js";
import { bank } from "./bank/index.js";
import { bankMessageSchemas } from "./bank/messages.js";
import { protocolDir } from "./protocol.js";

/** Every generated message schema file, by its path, with the text it must hold. */
export function messageSchemaFiles(): Map<string, string> {
  const files = new Map<string, string>();
  const generated: Array<[string, Record<string, object>]> = [
    ["capitalizer", capitalizerMessageSchemas(capitalizer)],
    ["bank", bankMessageSchemas(bank)],
  ];
  for (const [protocol, schemas] of generated) {
    for (const [name, schema] of Object.entries(schemas)) {
      files.set(path.join(protocolDir(protocol), "messages", `${name}.schema.json`), `${JSON.stringify(schema, null, 2)}\n`);
    }
  }
  return files;
}
