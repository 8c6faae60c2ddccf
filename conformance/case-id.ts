/**
 * A failure's case ID names exactly one counterexample: the rule, the seed and fast-check's path to the
 * shrunk input, as `RULE-ID@seed:path` (e.g. `CAP-QUOTA-RACE@42:7:0:1`). `sockspec replay` runs it again.
 */
export interface CaseId {
  rule: string;
  seed: number;
  path: string;
}

export function formatCaseId({ rule, seed, path }: CaseId): string {
  return `${rule}@${seed}:${path}`;
}

/** The parts of a case ID, or undefined when the text is not one. */
export function parseCaseId(text: string): CaseId | undefined {
  const match = /^([A-Z][A-Z0-9]*(?:-[A-Z0-9]+)+)@(-?\d+):(\d+(?::\d+)*)$/.exec(text);
  if (!match) return undefined;
  const seed = Number(match[2]);
  return Number.isSafeInteger(seed) ? { rule: match[1]!, seed, path: match[3]! } : undefined;
}
