// `npm run spec`: validates the protocol documents against spec/schemas/protocol.schema.json, then writes
// the files derived from them: message schemas, AsyncAPI and OpenAPI documents. The status protocol's
// reason-phrase table is written first, as the rest of its files are derived from it.
import { mkdirSync, writeFileSync } from "node:fs";
import path from "node:path";
import { reasonPhrasesPath, reasonPhraseTable } from "./status/reason-phrases.js";
import { protocolDir } from "./protocol.js";
import { readJson } from "./read-json.js";
import { assertValid } from "./validator.js";

for (const protocol of ["capitalizer", "bank", "status"]) {
  const file = path.join(protocolDir(protocol), "protocol.json");
  assertValid("protocol.schema.json", readJson(file), file);
}
writeFileSync(reasonPhrasesPath(), `${JSON.stringify(reasonPhraseTable(), null, 2)}\n`);
const { generatedSpecFiles } = await import("./message-schemas.js");
for (const [file, text] of generatedSpecFiles()) {
  mkdirSync(path.dirname(file), { recursive: true });
  writeFileSync(file, text);
  console.log(`wrote ${path.relative(process.cwd(), file)}`);
}
