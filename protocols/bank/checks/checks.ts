import type { RuleCheck } from "../../../conformance/check.js";
import type { BankRuleId } from "../spec/rule-ids.js";
import { challengeChecks } from "./challenge.js";
import { malformedInputChecks } from "./malformed.js";
import { operationChecks } from "./operations.js";
import { persistenceChecks } from "./persistence.js";

export const bankChecks: Array<RuleCheck<BankRuleId>> = [...operationChecks, ...challengeChecks, ...malformedInputChecks, ...persistenceChecks];
