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

/**
 * The seed of one rule's property runs: a run's seed and the rule's ID, so that a rule draws the same
 * inputs whichever rules run beside it and in whatever order (FNV-1a, 32 bits).
 */
export function ruleSeed(seed: number, rule: string): number {
  let hash = 0x811c9dc5;
  for (const byte of Buffer.from(`${seed}:${rule}`, "utf8")) hash = Math.imul(hash ^ byte, 0x01000193);
  return hash | 0;
}
