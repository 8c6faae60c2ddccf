import t from "tap";
import { loadFixtures } from "../conformance/fixtures.js";
import { capitalizer } from "../spec/capitalizer/index.js";
import { validateMessage, assertValid } from "../spec/validator.js";
import { readJson } from "../spec/validator.js";
import { fileURLToPath } from "node:url";

const fixtures = loadFixtures("capitalizer");
const schema = (name: string) => readJson(fileURLToPath(new URL(`../../spec/capitalizer/messages/${name}.schema.json`, import.meta.url))) as object;
const matches = (value: string, ...names: string[]) => names.some((name) => validateMessage(schema(name), name, value) === undefined);

t.test("the recorded sessions the issue asks for are there", async (t) => {
  t.same(fixtures.map((f) => f.transcript.name).sort(), ["limit-reached", "one-client", "shutdown-request", "two-clients-interleaved"]);
});

for (const { file, transcript } of fixtures) {
  t.test(file, async (t) => {
    // loadFixtures has validated it against spec/schemas/transcript.schema.json
    t.ok(transcript.events.length > 0);
    for (const id of transcript.rules ?? [])
      t.ok(
        capitalizer.rules.some((r) => r.id === id),
        `${id} is in the catalogue`,
      );
    for (const event of transcript.events) {
      if (event.type === "send") t.ok(matches(event.text!, "sentence", "shutdown-request"), `sent ${JSON.stringify(event.text)} is a client message`);
      if (event.type === "recv") t.ok(matches(event.text!, "reply", "limit-notice"), `received ${JSON.stringify(event.text)} is a server message`);
    }
  });
}

t.test("the transcript schema rejects a malformed transcript", async (t) => {
  const bad = { protocol: "capitalizer", events: [{ conn: "c1", type: "teleport" }] };
  t.throws(() => assertValid("transcript.schema.json", bad, "bad"), /type/);
  const both = { protocol: "capitalizer", events: [{ conn: "c1", type: "send", text: "a", base64: "YQ==" }] };
  t.throws(() => assertValid("transcript.schema.json", both, "both"));
});
