import path from "node:path";
import { readFileSync, writeFileSync } from "node:fs";
import t from "tap";
import { builtInProtocols } from "../../../protocols/registry.js";
import { specFolder } from "../../../protocols/protocol-module.js";
import { appliedReply, bank, deniedReply } from "../../../protocols/bank/spec/index.js";
import type { BankRuleId } from "../../../protocols/bank/spec/rule-ids.js";
import { capitalizer, expectedReply } from "../../../protocols/capitalizer/spec/index.js";
import { generatedSpecFiles } from "../../../spec/generated-files.js";
import { loadProtocol } from "../../../spec/protocol.js";
import { readJson } from "../../../spec/read-json.js";
import { assertValid, validateMessage } from "../../../spec/validator.js";

const schemaOf = (name: string) =>
  JSON.parse(readFileSync(new URL(`../../../../protocols/capitalizer/spec/messages/${name}.schema.json`, import.meta.url), "utf8"));
const valid = (name: string, value: unknown) => validateMessage(schemaOf(name), name, value) === undefined;

for (const module of builtInProtocols) {
  const { spec } = module;
  t.test(`${spec.protocol}: every rule has exactly one check, and every check a rule`, async (t) => {
    const checks = await module.checks();
    t.same(checks.map((c) => c.id).sort(), spec.rules.map((r) => r.id).sort());
  });

  t.test(`protocols/${spec.protocol}/spec/protocol.json matches spec/schemas/protocol.schema.json`, async (t) => {
    t.doesNotThrow(() => assertValid("protocol.schema.json", readJson(path.join(specFolder(module), "protocol.json")), spec.protocol));
  });

  t.test(`${spec.protocol}: rule IDs are unique and carry the protocol's prefix`, async (t) => {
    const ids = spec.rules.map((r) => r.id);
    t.equal(new Set(ids).size, ids.length);
    for (const id of ids) t.match(id, new RegExp(`^${spec.rulePrefix}-[A-Z0-9-]+$`));
  });

  t.test(`${spec.protocol}: the state machine starts in one of its states and names only server messages`, async (t) => {
    const machine = spec.stateMachine!;
    t.ok(machine, "it has one");
    t.ok(
      machine.transitions.some((tr) => tr.from === machine.initial),
      `the initial state ${machine.initial} has transitions`,
    );
    const serverMessages = spec.messages.filter((m) => m.from === "server").map((m) => m.name);
    for (const sent of machine.transitions.flatMap((tr) => tr.sends?.split(" or ") ?? [])) t.ok(serverMessages.includes(sent), `${sent} is a server message`);
  });
}

t.test("the committed message schemas are the ones generated from protocol.json (npm run spec)", async (t) => {
  for (const [file, text] of await generatedSpecFiles(builtInProtocols)) t.equal(readFileSync(file, "utf8"), text, file);
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

t.test("a document whose rules have the field `seed` is told to rename it to `original`, in one line", async (t) => {
  const doc = structuredClone(capitalizer) as unknown as { rules: Array<Record<string, unknown>> };
  for (const rule of doc.rules) {
    rule.seed = rule.original;
    delete rule.original;
  }
  t.throws(
    () => assertValid("protocol.schema.json", doc, "an old copy"),
    new RegExp(`^an old copy: rules \\(${doc.rules[0]!.id} and ${doc.rules.length - 1} more\\) have the field "seed": rename it to "original"`),
  );
  const file = path.join(t.testdir(), "protocol.json");
  writeFileSync(file, JSON.stringify(doc));
  t.throws(() => loadProtocol(file, [], []), /protocol\.json: rules .* have the field "seed": rename it to "original"/);
});

t.test("bank wire texts match their message schemas", async (t) => {
  const bankSchema = (name: string) =>
    JSON.parse(readFileSync(new URL(`../../../../protocols/bank/spec/messages/${name}.schema.json`, import.meta.url), "utf8"));
  const ok = (name: string, value: string) => validateMessage(bankSchema(name), `bank/${name}`, value) === undefined;
  for (const message of bank.messages.filter((m) => m.example !== undefined)) t.ok(ok(message.name, message.example!), `${message.name} example`);
  t.ok(ok("deposited", appliedReply("deposit", "007", -(10n ** 30n))));
  t.ok(ok("denied", deniedReply("deposit")));
  t.match(deniedReply("deposit"), /credentails/, "the misspelling stays on the wire");
  t.notOk(ok("deposit-request", "d-5"));
  t.notOk(ok("deposit-request", "d٣"));
});

t.test("a rule the catalogue lacks does not compile where checks, broken servers and verdicts name rules", async (t) => {
  // The proof is the build: without the error below, `@ts-expect-error` fails it.
  // @ts-expect-error BANK-NO-SUCH-RULE is no rule of the bank's catalogue
  const unknown: BankRuleId = "BANK-NO-SUCH-RULE";
  const known: BankRuleId = "BANK-THROTTLE-WINDOW";
  t.ok(bank.rules.some((rule) => rule.id === known));
  t.notOk(bank.rules.some((rule) => rule.id === unknown));
});
