import t from "tap";
import path from "node:path";
import { loadFixtures } from "../../conformance/fixtures.js";
import { bankModule } from "../../protocols/bank/index.js";
import { capitalizerModule } from "../../protocols/capitalizer/index.js";
import { specFolder, type ProtocolModule } from "../../protocols/protocol-module.js";
import { readJson } from "../../spec/read-json.js";
import { assertValid, validateMessage } from "../../spec/validator.js";

/** Datagrams a fixture sends on purpose although they are no client message. */
const malformedOnPurpose = new Set(["" /* empty-datagram */]);

const recorded: Array<[ProtocolModule, string[]]> = [
  [capitalizerModule, ["limit-reached", "one-client", "shutdown-request", "two-clients-interleaved"]],
  [bankModule, ["balance-check", "deposit", "empty-datagram", "withdrawal-to-negative", "wrong-credentials"]],
];

for (const [module, names] of recorded) {
  const { spec } = module;
  const fixtures = loadFixtures(module);
  /** Whether `text` is one of the messages `from` sends, by the spec's message schemas. */
  const isMessageFrom = (from: "client" | "server", text: string) =>
    spec.messages
      .filter((m) => m.from === from)
      .some((m) => validateMessage(readJson(path.join(specFolder(module), m.schema)) as object, m.name, text) === undefined);

  t.test(`${spec.protocol}: the recorded sessions the issues ask for are there`, async (t) => {
    t.same(fixtures.map((f) => f.transcript.name).sort(), names);
  });

  for (const { file, transcript } of fixtures) {
    t.test(file, async (t) => {
      // loadFixtures has validated it against spec/schemas/transcript.schema.json
      t.ok(transcript.events.length > 0);
      t.ok((transcript.rules ?? []).length > 0, "it exemplifies at least one rule");
      for (const id of transcript.rules ?? [])
        t.ok(
          spec.rules.some((r) => r.id === id),
          `${id} is in the catalogue`,
        );
      for (const event of transcript.events) {
        if (event.type === "send" && !malformedOnPurpose.has(event.text!))
          t.ok(isMessageFrom("client", event.text!), `sent ${JSON.stringify(event.text)} is a client message`);
        if (event.type === "recv") t.ok(isMessageFrom("server", event.text!), `received ${JSON.stringify(event.text)} is a server message`);
      }
    });
  }
}

t.test("the transcript schema rejects a malformed transcript", async (t) => {
  const bad = { protocol: "capitalizer", events: [{ conn: "c1", type: "teleport" }] };
  t.throws(() => assertValid("transcript.schema.json", bad, "bad"), /type/);
  const both = { protocol: "capitalizer", events: [{ conn: "c1", type: "send", text: "a", base64: "YQ==" }] };
  t.throws(() => assertValid("transcript.schema.json", both, "both"));
});
