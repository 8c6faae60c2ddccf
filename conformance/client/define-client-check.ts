import fc from "fast-check";
import type { ProtocolSpec } from "../../spec/protocol.js";
import type { RuleState } from "../check.js";
import { runsOf, type RunShare } from "../define-check.js";
import { withClientSession, type ClientCheckContext, type ClientSession } from "./session.js";

/** One client rule's check as the client runner runs it: the rule, its share of the run budget, and its property. */
export interface ClientRuleCheck<Id extends string = string> {
  id: Id;
  runs(budget: number): number;
  property(ctx: ClientCheckContext, state: RuleState): fc.IAsyncPropertyWithHooks<any>;
}

/**
 * One client rule's check: its inputs, drawn by fast-check and shrunk on a failure, and what each run does
 * with a client started afresh against a scripted server of the kit's own. A run fails by
 * `session.fail(expected, observed)`.
 */
export interface ClientCheckDefinition<Id extends string, T> {
  id: Id;
  inputs: fc.Arbitrary<T> | ((spec: ProtocolSpec) => fc.Arbitrary<T>);
  /** The share of `--runs`: a tenth by default, as each run starts a client. */
  runs?: RunShare;
  run(session: ClientSession, input: T, ctx: ClientCheckContext): Promise<void>;
}

/** The client check definer of a protocol: `check({ id, inputs, run })` gives the rule's check. */
export function defineClientChecks<Id extends string>() {
  return function check<T>(definition: ClientCheckDefinition<Id, T>): ClientRuleCheck<Id> {
    return {
      id: definition.id,
      runs: (budget) => runsOf(definition.runs ?? "tenth", budget),
      property: (ctx) => {
        const inputs = typeof definition.inputs === "function" ? definition.inputs(ctx.spec) : definition.inputs;
        return fc.asyncProperty(inputs, (input) => withClientSession(ctx, (session) => definition.run(session, input, ctx)));
      },
    };
  };
}
