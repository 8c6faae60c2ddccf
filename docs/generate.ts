// `npm run docs`: writes docs/protocols/<protocol>.md for each built-in protocol (typedoc then writes docs/api/).
import { writeFileSync } from "node:fs";
import path from "node:path";
import { builtInProtocols } from "../protocols/registry.js";
import { packageRoot } from "../spec/paths.js";
import { protocolDocPath, protocolMarkdown } from "./protocol-doc.js";

for (const module of builtInProtocols) {
  const file = protocolDocPath(module.spec);
  writeFileSync(path.join(packageRoot, file), protocolMarkdown(module));
  console.log(`wrote ${file}`);
}
