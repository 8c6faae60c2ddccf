// `npm run spec`: writes the files derived from the protocol documents: message schemas, AsyncAPI documents.
import { mkdirSync, writeFileSync } from "node:fs";
import path from "node:path";
import { generatedSpecFiles } from "./message-schemas.js";

for (const [file, text] of generatedSpecFiles()) {
  mkdirSync(path.dirname(file), { recursive: true });
  writeFileSync(file, text);
  console.log(`wrote ${path.relative(process.cwd(), file)}`);
}
