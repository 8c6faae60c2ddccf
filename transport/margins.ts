import { AsyncLocalStorage } from "node:async_hooks";

/**
 * How close the waits for answers came to the reply timeout while some work ran: an answer that took most
 * of it passes here and may time out on a slower machine (`sockspec check --verify` calls such a rule slow).
 * Only waits with exactly that limit count: a wait that also holds an intended pause (a sleep asked for, an
 * idle timeout waited out) or a short look that judges nothing has a limit of its own.
 */
export interface Margin {
  /** The longest wait for an answer that came in time. */
  waitedMs: number;
  limitMs: number;
}

const measuring = new AsyncLocalStorage<Margin>();

/** Runs `work`, and resolves with its result and the longest of its waits of `limitMs` that ended in time. */
export async function withMargin<T>(limitMs: number, work: () => Promise<T>): Promise<{ result: T; margin: Margin }> {
  const margin: Margin = { waitedMs: 0, limitMs };
  const result = await measuring.run(margin, work);
  return { result, margin };
}

/** A wait of `limitMs` at most ended in time, after `waitedMs`: told to the work that measures it, if any. */
export function waited(waitedMs: number, limitMs: number): void {
  const margin = measuring.getStore();
  if (margin && limitMs === margin.limitMs) margin.waitedMs = Math.max(margin.waitedMs, waitedMs);
}
