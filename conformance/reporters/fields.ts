import type { RuleDetail } from "../report.js";

/** One thing a report says about an unmet rule: its key in the JSON report, its label for people, its value. */
export interface Field {
  key: keyof RuleDetail;
  label: string;
  value: string | number;
}

/** What every reporter shows of an unmet rule, in this order; the transcript comes apart, as it is long. */
export function detailFields(detail: RuleDetail): Field[] {
  const fields: Array<[keyof RuleDetail, string]> = [
    ["statement", "rule"],
    ["fixture", "fixture"],
    ["expected", "expected"],
    ["actual", "observed"],
    ["counterexample", "counterexample"],
    ["case", "case"],
    ["seed", "seed"],
    ["reproduce", "reproduce"],
  ];
  return fields.flatMap(([key, label]) => {
    const value = detail[key];
    return typeof value === "string" || typeof value === "number" ? [{ key, label, value }] : [];
  });
}
