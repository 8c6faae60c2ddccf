import { readFileSync } from "node:fs";
import { validate } from "@readme/openapi-parser";
import t from "tap";
import { answeredCodes, answeredMethods, knownCodes, status } from "../../../protocols/status/spec/index.js";
import path from "node:path";
import { statusModule } from "../../../protocols/status/index.js";
import { specFolder } from "../../../protocols/protocol-module.js";

t.test("protocols/status/spec/openapi.json is an OpenAPI 3.1 document that an OpenAPI parser accepts, with every echoed code", async (t) => {
  const document = JSON.parse(readFileSync(path.join(specFolder(statusModule), "openapi.json"), "utf8"));
  const result = await validate(structuredClone(document));
  t.same(result.valid ? [] : result.errors, [], "no error");
  t.same(result.warnings, [], "no warning");
  t.equal(document.openapi, "3.1.0");
  const refs = document.paths["/{code}"].get.responses;
  const response = (key: string) => document.components.responses[refs[key].$ref.split("/").at(-1)];
  const unknownClasses = [...new Set(answeredCodes.filter((code) => !knownCodes.includes(code)).map((code) => `${Math.floor(code / 100)}XX`))];
  t.same(Object.keys(refs), [...knownCodes.map(String), ...unknownClasses], "a response per code the table knows, and one per class for the others");
  t.equal(response("403").description, "Forbidden");
  t.ok(response("301").headers.Location, "301 has its Location");
  t.equal(response("401").headers["WWW-Authenticate"].schema.const, status.wireTexts.authenticateChallenge);
  t.notOk(response("204").content, "no body on 204");
  for (const method of answeredMethods()) t.ok(document.paths["/{code}"][method.toLowerCase()], `${method} is published`);
  t.notOk(document.components.responses[document.paths["/{code}"].head.responses["200"].$ref.split("/").at(-1)].content, "HEAD answers have no body");
  t.ok(document.paths["/random/{range}"].get, "/random/{range} is published");
});
