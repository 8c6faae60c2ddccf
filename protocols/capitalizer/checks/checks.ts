import type { RuleCheck } from "../../../conformance/check.js";
import type { CapitalizerRuleId } from "../spec/rule-ids.js";
import { connectionChecks } from "./connections.js";
import { hostileInputChecks } from "./hostile.js";
import { quotaChecks } from "./quota.js";
import { replyChecks } from "./replies.js";
import { shutdownChecks } from "./shutdown.js";

export const capitalizerChecks: Array<RuleCheck<CapitalizerRuleId>> = [
  ...replyChecks,
  ...quotaChecks,
  ...shutdownChecks,
  ...connectionChecks,
  ...hostileInputChecks,
];
