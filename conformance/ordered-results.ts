import type { RuleResult } from "./report.js";

/**
 * Rule results told in catalogue order, each as soon as it and every rule before it are known, however
 * the rules run side by side finish.
 */
export class OrderedResults {
  /** The results told so far, in catalogue order. */
  readonly told: RuleResult[] = [];
  private readonly finished = new Map<number, RuleResult>();

  constructor(private readonly onResult?: (result: RuleResult) => void) {}

  /** The result of the rule at this place in the catalogue: told now, with any after it that were waiting. */
  finish(index: number, result: RuleResult): void {
    this.finished.set(index, result);
    for (let next = this.finished.get(this.told.length); next; next = this.finished.get(this.told.length)) {
      this.told.push(next);
      this.onResult?.(next);
    }
  }
}
