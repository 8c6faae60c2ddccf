/**
 * A deliberately broken server: its defect, and the rules that defect leaves unmet (and no others), named by
 * the protocol's generated RuleId type so that a rule the catalogue lacks does not compile.
 */
export interface BrokenServer<Defects, Id extends string = string> {
  name: string;
  defects: Defects;
  /** The MUST rules it fails (or times out on). */
  fails: Id[];
  /** The SHOULD rules it does not meet. */
  warns?: Id[];
  /** Rules its defect leaves not checkable, which say so naming the rule it breaks instead of failing too. */
  leavesUnchecked?: Id[];
  /**
   * Set on the narrowest defect for a rule that no defect can leave unmet alone: the rule, and why its check
   * cannot be failed without another's.
   */
  notAlone?: { rule: Id; why: string };
}

/** Every rule a broken server leaves unmet, MUSTs and SHOULDs. */
export const unmetBy = (broken: Pick<BrokenServer<unknown>, "fails" | "warns">): string[] => [...broken.fails, ...(broken.warns ?? [])];
