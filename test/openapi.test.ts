import { readFileSync } from "node:fs";
import { validate } from "@readme/openapi-parser";
import t from "tap";
import { answeredCodes, status } from "../spec/status/index.js";
import { openApiPath } from "../spec/status/openapi.js";

t.test("spec/status/openapi.json is an OpenAPI 3.1 document that an OpenAPI parser accepts, with every echoed code", async (t) => {
  const document = JSON.parse(readFileSync(openApiPath(), "utf8"));
  const result = await validate(structuredClone(document));
  t.same(result.valid ? [] : result.errors, [], "no error");
  t.same(result.warnings, [], "no warning");
  t.equal(document.openapi, "3.1.0");
  const responses = document.paths["/{code}"].get.responses;
  t.same(Object.keys(responses).map(Number), [...answeredCodes], "a response per code the service echoes");
  t.equal(responses["403"].description, "Forbidden");
  t.same(responses["301"].headers.Location.schema, { const: status.wireTexts.redirectLocation });
  t.notOk(responses["204"].content, "no body on 204");
  t.ok(document.paths["/{code}"].head, "HEAD is published too");
});
