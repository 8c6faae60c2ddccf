import type { RuleCheck } from "../../../kit/index.js";
import type { CapitalizerRuleId } from "../spec/rule-ids.js";
import { connectionChecks } from "./connections.js";
import { malformedInputChecks } from "./malformed-input.js";
import { quotaChecks } from "./quota.js";
import { replyChecks } from "./replies.js";
import { shutdownChecks } from "./shutdown.js";

/** The capitalizer's checks by topic, one module each. */
export const capitalizerCheckTopics = {
  replies: replyChecks,
  quota: quotaChecks,
  shutdown: shutdownChecks,
  connections: connectionChecks,
  malformed: malformedInputChecks,
};

export const capitalizerChecks: Array<RuleCheck<CapitalizerRuleId>> = Object.values(capitalizerCheckTopics).flat();
