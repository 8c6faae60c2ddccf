import { existsSync } from "node:fs";
import path from "node:path";
import { checkedRubric, everyRuleOnePoint, loadRubric, type Rubric } from "../conformance/rubric.js";
import { UsageError } from "../conformance/usage.js";
import type { ProtocolModule } from "../protocols/protocol-module.js";

/** The rubrics a protocol ships, in its folder's rubrics/ (NAME.json). */
const shippedRubric = (module: ProtocolModule, name: string) => path.join(module.dir, "rubrics", `${name}.json`);

/**
 * The rubric --rubric names: a file, or one the protocol ships by its name (homework, full); every rule one
 * point when none is given. A usage error when it cannot be read or does not fit the protocol's catalogue.
 */
export function rubricOption(value: string | undefined, module: ProtocolModule): Rubric {
  if (value === undefined) return everyRuleOnePoint(module.spec);
  const name = path.basename(value, ".json");
  const file = existsSync(value) ? value : shippedRubric(module, name);
  if (!existsSync(file)) throw new UsageError(`--rubric: no file ${value}, and ${module.spec.protocol} ships no rubric "${name}"`);
  try {
    return checkedRubric(loadRubric(file, module.spec), module.spec, file);
  } catch (error) {
    throw new UsageError(`--rubric: ${(error as Error).message}`);
  }
}
