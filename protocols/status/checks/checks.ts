import type { RuleCheck } from "../../../kit/index.js";
import type { StatusRuleId } from "../spec/rule-ids.js";
import { bodyChecks } from "./bodies.js";
import { codeChecks } from "./codes.js";
import { connectionChecks } from "./connections.js";
import { headerChecks } from "./headers.js";
import { methodChecks } from "./methods.js";
import { sleepChecks } from "./sleep.js";

/** The status checks by topic, one module each. */
export const statusCheckTopics = {
  codes: codeChecks,
  bodies: bodyChecks,
  headers: headerChecks,
  sleep: sleepChecks,
  methods: methodChecks,
  connections: connectionChecks,
};

/** The status rules' checks, one per rule of protocols/status/spec/protocol.json. */
export const statusChecks: Array<RuleCheck<StatusRuleId>> = Object.values(statusCheckTopics).flat();
