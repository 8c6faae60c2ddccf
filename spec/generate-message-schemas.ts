// `npm run spec`: validates the protocol documents against spec/schemas/protocol.schema.json, then writes
// the files derived from them: message schemas and AsyncAPI documents.
import { mkdirSync, writeFileSync } from "node:fs";
import path from "node:path";
import { generatedSpecFiles } from "./message-schemas.js";
import { protocolDir } from "./protocol.js";
import { readJson } from "./read-json.js";
import { assertValid } from "./validator.js";

for (const protocol of ["capitalizer", "bank"]) {
  const file = path.join(protocolDir(protocol), "protocol.json");
  assertValid("protocol.schema.json", readJson(file), file);
}
for (const [file, text] of generatedSpecFiles()) {
  mkdirSync(path.dirname(file), { recursive: true });
  writeFileSync(file, text);
  console.log(`wrote ${path.relative(process.cwd(), file)}`);
}
