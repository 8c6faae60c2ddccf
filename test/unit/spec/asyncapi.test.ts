import { readFileSync } from "node:fs";
import { Parser } from "@asyncapi/parser";
import t from "tap";
import path from "node:path";
import { specFolder } from "../../../protocols/protocol-module.js";
import { builtInProtocols } from "../../../protocols/registry.js";

const parser = new Parser();

// The HTTP protocol is published as OpenAPI instead (test/openapi.test.ts).
for (const module of builtInProtocols.filter(({ spec }) => spec.transport !== "http")) {
  const { spec } = module;
  t.test(`protocols/${spec.protocol}/spec/asyncapi.json is an AsyncAPI 3.0 document that AsyncAPI's own parser accepts`, async (t) => {
    const { document, diagnostics } = await parser.parse(readFileSync(path.join(specFolder(module), "asyncapi.json"), "utf8"));
    // Severity 0 is an error, 1 a warning; 2 and 3 are hints (e.g. that 3.1 exists).
    t.same(
      diagnostics.filter((d) => d.severity <= 1).map((d) => `${d.code}: ${d.message} at ${d.path.join(".")}`),
      [],
    );
    t.ok(document, "it parsed");
    t.equal(document!.version(), "3.0.0");
    t.same(
      document!
        .allMessages()
        .all()
        .map((m) => m.name())
        .sort(),
      spec.messages.map((m) => m.name).sort(),
      "every message of the spec",
    );
    const received = document!
      .operations()
      .filterByReceive()
      .flatMap((op) =>
        op
          .messages()
          .all()
          .map((m) => m.name()),
      );
    t.same(
      received.sort(),
      spec.messages
        .filter((m) => m.from === "client")
        .map((m) => m.name)
        .sort(),
      "the server receives the client's messages",
    );
  });
}
