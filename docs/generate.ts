// `npm run docs`: writes docs/protocols/<protocol>.md from spec/ (typedoc then writes docs/api/).
import { writeFileSync } from "node:fs";
import path from "node:path";
import { suites } from "../conformance/suites.js";
import { packageRoot } from "../spec/paths.js";
import { protocolDocPath, protocolMarkdown } from "./protocol-doc.js";

for (const { spec } of Object.values(suites)) {
  const file = protocolDocPath(spec);
  writeFileSync(path.join(packageRoot, file), protocolMarkdown(spec));
  console.log(`wrote ${file}`);
}
