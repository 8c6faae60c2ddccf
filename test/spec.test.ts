import { readFileSync } from "node:fs";
import t from "tap";
import { capitalizerChecks } from "../conformance/capitalizer/checks.js";
import { capitalizer, expectedReply } from "../spec/capitalizer/index.js";
import { messageSchemaFiles } from "../spec/message-schemas.js";
import { assertValid, validateMessage } from "../spec/validator.js";

const schemaOf = (name: string) => JSON.parse(readFileSync(new URL(`../../spec/capitalizer/messages/${name}.schema.json`, import.meta.url), "utf8"));
const valid = (name: string, value: unknown) => validateMessage(schemaOf(name), name, value) === undefined;

t.test("every rule has exactly one check, and every check a rule", async (t) => {
  t.same(capitalizerChecks.map((c) => c.id).sort(), capitalizer.rules.map((r) => r.id).sort());
});

t.test("rule IDs are unique and carry the protocol's prefix", async (t) => {
  const ids = capitalizer.rules.map((r) => r.id);
  t.equal(new Set(ids).size, ids.length);
  for (const id of ids) t.match(id, /^CAP-[A-Z0-9-]+$/);
});

t.test("the committed message schemas are the ones generated from protocol.json (npm run spec)", async (t) => {
  for (const [file, text] of messageSchemaFiles()) t.equal(readFileSync(file, "utf8"), text, file);
});

t.test("wire texts and examples match their message schemas", async (t) => {
  const { shutdownRequest, limitNotice } = capitalizer.wireTexts;
  t.ok(valid("shutdown-request", shutdownRequest));
  t.notOk(valid("sentence", shutdownRequest), "the shutdown request is not a sentence");
  t.ok(valid("limit-notice", limitNotice));
  t.notOk(valid("reply", limitNotice), "the limit notice is not a reply");
  t.notOk(valid("sentence", ""), "an empty write is not a sentence");
  for (const message of capitalizer.messages.filter((m) => m.example !== undefined)) {
    t.ok(valid(message.name, message.example), `${message.name} example`);
  }
  t.ok(valid("reply", expectedReply("straße")));
  t.equal(expectedReply("straße ﬁ"), `STRASSE FI${capitalizer.wireTexts.replySuffix}`);
});

t.test("the protocol meta-schema rejects a malformed rule", async (t) => {
  const doc = structuredClone(capitalizer) as unknown as { rules: Array<Record<string, unknown>> };
  doc.rules[0]!.level = "MUSTN'T";
  t.throws(() => assertValid("protocol.schema.json", doc, "a broken copy"), /level/);
  delete doc.rules[0]!.level;
  t.throws(() => assertValid("protocol.schema.json", doc, "a broken copy"), /level/);
});
