// `npm run spec`: validates the protocol documents against spec/schemas/protocol.schema.json, then writes
// the files each protocol derives from its document (message schemas, AsyncAPI and OpenAPI documents, the
// tables a protocol derives from data packages) and the rule-ID types.
import { mkdirSync, writeFileSync } from "node:fs";
import path from "node:path";
import { specFolder } from "../protocols/protocol-module.js";
import { builtInProtocols } from "../protocols/registry.js";
import { configSchema } from "../cli/check-options.js";
import { generatedSpecFiles, jsonFile } from "./generated-files.js";
import { specDir } from "./paths.js";
import { readJson } from "./read-json.js";
import { assertValid } from "./validator.js";

for (const module of builtInProtocols) {
  const file = path.join(specFolder(module), "protocol.json");
  assertValid("protocol.schema.json", readJson(file), file);
}
for (const [file, text] of await generatedSpecFiles(builtInProtocols)) {
  mkdirSync(path.dirname(file), { recursive: true });
  writeFileSync(file, text);
  console.log(`wrote ${path.relative(process.cwd(), file)}`);
}
// The config file's schema comes from the table of `sockspec check`'s options.
writeFileSync(path.join(specDir, "schemas", "config.schema.json"), jsonFile(configSchema()));
console.log("wrote spec/schemas/config.schema.json");
