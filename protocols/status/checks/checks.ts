import type { RuleCheck } from "../../../conformance/check.js";
import type { StatusRuleId } from "../spec/rule-ids.js";
import { bodyChecks } from "./bodies.js";
import { codeChecks } from "./codes.js";
import { headerChecks } from "./headers.js";
import { methodChecks } from "./methods.js";
import { sleepChecks } from "./sleep.js";

/** The status rules' checks, one per rule of protocols/status/spec/protocol.json. */
export const statusChecks: Array<RuleCheck<StatusRuleId>> = [...codeChecks, ...bodyChecks, ...headerChecks, ...sleepChecks, ...methodChecks];
