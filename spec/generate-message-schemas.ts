// `npm run spec`: writes the message schemas derived from the protocol documents.
import { mkdirSync, writeFileSync } from "node:fs";
import path from "node:path";
import { messageSchemaFiles } from "./message-schemas.js";

for (const [file, text] of messageSchemaFiles()) {
  mkdirSync(path.dirname(file), { recursive: true });
  writeFileSync(file, text);
  console.log(`wrote ${path.relative(process.cwd(), file)}`);
}
