import { fc, everyRun, type RuleCheck } from "../../../kit/index.js";
import { answeredMethods } from "../spec/index.js";
import type { StatusRuleId } from "../spec/rule-ids.js";
import { accept, answeredCode, getLikeMethod, unknownMethod } from "./arbitraries.js";
import { statusProperty } from "./session.js";
import { expectSameAnswer, get } from "./shared.js";

/** The methods answered, and those that are not. */
export const methodChecks: Array<RuleCheck<StatusRuleId>> = [
  {
    id: "STATUS-METHOD",
    runs: everyRun,
    property: statusProperty(
      fc.tuple(getLikeMethod, answeredCode, accept, fc.string({ maxLength: 40 })),
      async (run, [{ method, body }, code, acceptHeader, content]) => {
        const request = { ...get(code, acceptHeader), method, ...(body ? { body: content } : {}) };
        expectSameAnswer(
          run,
          `${method} /${code}${body ? ` with a ${Buffer.byteLength(content)}-byte body` : ""}`,
          await run.ask(request),
          await run.ask(get(code, acceptHeader)),
        );
      },
    ),
  },
  {
    id: "STATUS-UNKNOWN-METHOD",
    runs: everyRun,
    property: statusProperty(fc.tuple(unknownMethod, answeredCode), async (run, [method, code]) => {
      const answer = await run.ask({ method, path: `/${code}` });
      run.expectEqual(`the status of ${method} /${code}`, answer.status, 405);
      const allowed = (answer.headers.allow ?? "")
        .split(",")
        .map((m) => m.trim())
        .sort()
        .join(", ");
      run.expectEqual(`the Allow header of ${method} /${code}`, allowed, answeredMethods().sort().join(", "));
    }),
  },
];
