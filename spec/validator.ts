import path from "node:path";
import { Ajv2020, type ErrorObject, type ValidateFunction } from "ajv/dist/2020.js";
import { specDir } from "./paths.js";
import { renamedRuleField } from "./protocol.js";
import { readJson } from "./read-json.js";

/** The schemas shared by every protocol, by file name under spec/schemas/. */
export type SharedSchema =
  | "protocol.schema.json"
  | "transcript.schema.json"
  | "report.schema.json"
  | "baseline.schema.json"
  | "config.schema.json"
  | "rubric.schema.json"
  | "client-driver.schema.json";

const ajv = new Ajv2020({ allErrors: true, strict: true });
const compiled = new Map<string, ValidateFunction>();

for (const name of [
  "transcript.schema.json",
  "report.schema.json",
  "protocol.schema.json",
  "baseline.schema.json",
  "config.schema.json",
  "rubric.schema.json",
  "client-driver.schema.json",
]) {
  ajv.addSchema(readJson(path.join(specDir, "schemas", name)) as object);
}

function validatorFor(schema: object, key: string): ValidateFunction {
  let validate = compiled.get(key);
  if (!validate) {
    validate = ajv.compile(schema);
    compiled.set(key, validate);
  }
  return validate;
}

/** A schema violation in the words of someone who wrote the file: which key, and what is wrong with it. */
function describe(errors: ErrorObject[] | null | undefined): string {
  return (errors ?? [])
    .map((e) => {
      const at = e.instancePath ? `"${e.instancePath.slice(1).replaceAll("/", ".")}"` : "the top level";
      if (e.keyword === "additionalProperties") return `unknown key "${e.params.additionalProperty}" at ${at}`;
      if (e.keyword === "enum") return `${at} must be one of ${(e.params.allowedValues as unknown[]).map((v) => JSON.stringify(v)).join(", ")}`;
      return `${at} ${e.message ?? "is invalid"}`;
    })
    .join("; ");
}

/** Throws with every schema violation listed when `value` does not match the shared schema `name`. */
export function assertValid(name: SharedSchema, value: unknown, what: string): void {
  const validate = ajv.getSchema(`https://sockspec.dev/schemas/${name}`);
  if (!validate) throw new Error(`unknown schema ${name}`);
  const renamed = name === "protocol.schema.json" ? renamedRuleField(value) : undefined;
  if (renamed) throw new Error(`${what}: ${renamed}`);
  if (!validate(value)) throw new Error(`${what} does not match ${name}: ${describe(validate.errors)}`);
}

/** Validates `value` against a message schema (an object, as loaded from protocols/<protocol>/spec/messages/). */
export function validateMessage(schema: object, key: string, value: unknown): string | undefined {
  const validate = validatorFor(schema, key);
  return validate(value) ? undefined : describe(validate.errors);
}
