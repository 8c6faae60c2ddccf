import { readFileSync } from "node:fs";
import path from "node:path";
import t from "tap";
import { suites } from "../conformance/suites.js";
import { protocolDocPath, protocolMarkdown } from "../docs/protocol-doc.js";
import { packageRoot } from "../spec/paths.js";

for (const { spec } of Object.values(suites)) {
  t.test(`${protocolDocPath(spec)} is up to date with the spec (npm run docs)`, async (t) => {
    const committed = readFileSync(path.join(packageRoot, protocolDocPath(spec)), "utf8");
    t.equal(committed, protocolMarkdown(spec));
    for (const rule of spec.rules) t.match(committed, `| \`${rule.id}\` | ${rule.level} |`, `${rule.id} is in the rule table`);
  });
}
