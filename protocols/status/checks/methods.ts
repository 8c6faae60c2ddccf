import { fc, type RuleCheck } from "../../../kit/index.js";
import { answeredMethods } from "../spec/index.js";
import type { StatusRuleId } from "../spec/rule-ids.js";
import { accept, answeredCode, getLikeMethod, unknownMethod } from "./arbitraries.js";
import { check } from "./session.js";
import { expectSameAnswer, get } from "./shared.js";

/** The methods answered, and those that are not. */
export const methodChecks: Array<RuleCheck<StatusRuleId>> = [
  check({
    id: "STATUS-METHOD",
    servers: "shared",
    inputs: fc.tuple(getLikeMethod, answeredCode, accept, fc.string({ maxLength: 40 })),
    run: async (run, [{ method, body }, code, acceptHeader, content]) => {
      const request = { ...get(code, acceptHeader), method, ...(body ? { body: content } : {}) };
      expectSameAnswer(
        run,
        `${method} /${code}${body ? ` with a ${Buffer.byteLength(content)}-byte body` : ""}`,
        await run.ask(request),
        await run.ask(get(code, acceptHeader)),
      );
    },
  }),
  check({
    id: "STATUS-UNKNOWN-METHOD",
    servers: "shared",
    inputs: fc.tuple(unknownMethod, answeredCode),
    run: async (run, [method, code]) => {
      const answer = await run.ask({ method, path: `/${code}` });
      run.expectEqual(`the status of ${method} /${code}`, answer.status, 405);
      const allowed = (answer.headers.allow ?? "")
        .split(",")
        .map((m) => m.trim())
        .sort()
        .join(", ");
      run.expectEqual(`the Allow header of ${method} /${code}`, allowed, answeredMethods().sort().join(", "));
    },
  }),
];
