// `npm run spec`: validates the protocol documents against spec/schemas/protocol.schema.json, then writes
// the files derived from them: message schemas, AsyncAPI and OpenAPI documents, and the rule-ID types. The tables the rest is
// derived from is written first: the capitalizer's upper-case mappings under each accepted Unicode version
// (from the @unicode/unicode-<version> devDependencies).
import { mkdirSync, writeFileSync } from "node:fs";
import path from "node:path";
import { protocolDir } from "./protocol.js";
import { generateUppercaseTable } from "../protocols/capitalizer/spec/uppercase-table.js";
import { uppercaseTablePath } from "../protocols/capitalizer/spec/uppercase.js";
import { readJson } from "./read-json.js";
import { assertValid } from "./validator.js";

for (const protocol of ["capitalizer", "bank", "status"]) {
  const file = path.join(protocolDir(protocol), "protocol.json");
  assertValid("protocol.schema.json", readJson(file), file);
}
writeFileSync(uppercaseTablePath(), `${JSON.stringify(await generateUppercaseTable(), null, 2)}\n`);
const { generatedSpecFiles } = await import("./message-schemas.js");
for (const [file, text] of generatedSpecFiles()) {
  mkdirSync(path.dirname(file), { recursive: true });
  writeFileSync(file, text);
  console.log(`wrote ${path.relative(process.cwd(), file)}`);
}
