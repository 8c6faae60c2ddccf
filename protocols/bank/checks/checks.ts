import type { RuleCheck } from "../../../kit/index.js";
import type { BankRuleId } from "../spec/rule-ids.js";
import { challengeChecks } from "./challenge.js";
import { malformedInputChecks } from "./malformed.js";
import { operationChecks } from "./operations.js";
import { persistenceChecks } from "./persistence.js";

/** The bank's checks by topic, one module each. */
export const bankCheckTopics = { operations: operationChecks, challenge: challengeChecks, malformed: malformedInputChecks, persistence: persistenceChecks };

export const bankChecks: Array<RuleCheck<BankRuleId>> = Object.values(bankCheckTopics).flat();
