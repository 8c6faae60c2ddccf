import type { ProtocolSpec } from "../spec/protocol.js";
import { readJson } from "../spec/read-json.js";
import { assertValid } from "../spec/validator.js";
import { matches, type Outcome, type Report, type RuleResult } from "./report.js";

/** Who sees a test, in Gradescope's words. */
export type Visibility = "visible" | "hidden" | "after_due_date" | "after_published";

/** A rubric: spec/schemas/rubric.schema.json. */
export interface Rubric {
  protocol: string;
  title: string;
  description?: string;
  scoring?: Partial<Record<Outcome, number>>;
  visibility?: Visibility;
  parts: RubricPart[];
}

export interface RubricPart {
  name: string;
  points: number;
  /** Rule IDs or globs. */
  rules: string[];
  visibility?: Visibility;
}

/** What each outcome earns of a rule's share, where a rubric does not say. */
export const DEFAULT_SCORING: Readonly<Record<Outcome, number>> = { pass: 1, "non-strict": 0.5, fail: 0, timeout: 0, skip: 0 };

/** One graded rule: its part, what it earned of what it could, and who sees it. */
export interface ScoredRule {
  id: string;
  part: string;
  score: number;
  max: number;
  /** The rule's result in the report; a rule the run did not check is a skip that says so. */
  result: RuleResult;
  visibility: Visibility;
}

/** A report graded by a rubric. */
export interface Scored {
  rubric: string;
  score: number;
  max: number;
  parts: Array<{ name: string; score: number; max: number }>;
  rules: ScoredRule[];
}

/**
 * A rubric from its file, checked against the schema and against the protocol's catalogue: every selector
 * names a rule, and no rule is in two parts. Throws with what is wrong.
 */
export function loadRubric(file: string, spec: ProtocolSpec): Rubric {
  const rubric = readJson(file);
  assertValid("rubric.schema.json", rubric, file);
  return checkedRubric(rubric as Rubric, spec, file);
}

/** The rubric's rules by part, each rule once; throws where the rubric and the catalogue disagree. */
export function checkedRubric(rubric: Rubric, spec: ProtocolSpec, where = "the rubric"): Rubric {
  if (rubric.protocol !== spec.protocol) throw new RangeError(`${where} is for ${rubric.protocol}, not ${spec.protocol}`);
  const partOf = new Map<string, string>();
  for (const part of rubric.parts) {
    for (const selector of part.rules) {
      const named = spec.rules.filter((rule) => matches(selector, rule.id));
      if (named.length === 0) throw new RangeError(`${where}: part "${part.name}" names ${selector}, which is no rule of ${spec.protocol}`);
      for (const rule of named) {
        const other = partOf.get(rule.id);
        if (other !== undefined && other !== part.name) throw new RangeError(`${where}: ${rule.id} is in two parts, "${other}" and "${part.name}"`);
        partOf.set(rule.id, part.name);
      }
    }
  }
  return rubric;
}

/** A rubric that gives every rule of the catalogue one point, in one part: what a platform reporter uses without one. */
export function everyRuleOnePoint(spec: ProtocolSpec): Rubric {
  return {
    protocol: spec.protocol,
    title: `${spec.protocol}: every rule, one point each`,
    parts: [{ name: "Rules", points: spec.rules.length, rules: ["*"] }],
  };
}

/** The rules a part grades, in the catalogue's order. */
const rulesOf = (part: RubricPart, spec: ProtocolSpec) =>
  spec.rules.filter((rule) => part.rules.some((selector) => matches(selector, rule.id))).map((rule) => rule.id);

/** Every rule a rubric grades, part by part: the rules a run must check for the rubric to score it. */
export const gradedRules = (rubric: Rubric, spec: ProtocolSpec): string[] => rubric.parts.flatMap((part) => rulesOf(part, spec));

/** The report graded: each part's points shared evenly by its rules, each rule earning its outcome's fraction. */
export function scoreReport(report: Report, rubric: Rubric, spec: ProtocolSpec): Scored {
  const scoring = { ...DEFAULT_SCORING, ...rubric.scoring };
  const rules: ScoredRule[] = [];
  const parts = rubric.parts.map((part) => {
    const ids = rulesOf(part, spec);
    const shares = sharesOf(part.points, ids.length);
    let cents = 0;
    ids.forEach((id, i) => {
      const result = report.rules.find((r) => r.id === id) ?? notInReport(id, spec);
      const earned = Math.round(shares[i]! * scoring[result.outcome]);
      cents += earned;
      rules.push({ id, part: part.name, score: earned / 100, max: shares[i]! / 100, result, visibility: part.visibility ?? rubric.visibility ?? "visible" });
    });
    return { name: part.name, score: cents / 100, max: part.points };
  });
  const total = (of: (part: (typeof parts)[number]) => number) => Math.round(parts.reduce((sum, part) => sum + of(part) * 100, 0)) / 100;
  return { rubric: rubric.title, score: total((p) => p.score), max: total((p) => p.max), parts, rules };
}

/**
 * A part's points shared among n rules, in hundredths of a point that add up to the part's points exactly
 * (20 among 3: 6.67, 6.67, 6.66), so that a part met in full scores its points, no more and no less.
 */
export function sharesOf(points: number, n: number): number[] {
  const total = Math.round(points * 100);
  const base = Math.floor(total / n);
  return Array.from({ length: n }, (_, i) => base + (i < total - base * n ? 1 : 0));
}

/** A rule the run did not check at all (left out by --only or --exclude): not checked, and saying why. */
function notInReport(id: string, spec: ProtocolSpec): RuleResult {
  const rule = spec.rules.find((r) => r.id === id)!;
  return { id, level: rule.level, outcome: "skip", detail: { message: "not checked: the run left this rule out", statement: rule.statement } };
}
