import t from "tap";
import { runPool } from "../../../conformance/pool.js";

/** A task per item that ends only when the test says so, recording when each starts. */
function controlledTasks() {
  const started: string[] = [];
  const finishers = new Map<string, { resolve: () => void; reject: (error: Error) => void }>();
  let running = 0;
  let mostAtOnce = 0;
  const waiters: Array<() => void> = [];
  const task = (item: string) =>
    new Promise<void>((resolve, reject) => {
      started.push(item);
      running += 1;
      mostAtOnce = Math.max(mostAtOnce, running);
      const end = () => (running -= 1);
      finishers.set(item, {
        resolve: () => (end(), resolve()),
        reject: (error) => (end(), reject(error)),
      });
      for (const wake of waiters.splice(0)) wake();
    });
  /** Resolves once `count` tasks have started. */
  const startedCount = async (count: number) => {
    while (started.length < count) await new Promise<void>((resolve) => waiters.push(resolve));
  };
  return { started, finishers, task, startedCount, mostAtOnce: () => mostAtOnce };
}

t.test("at most `jobs` tasks run at a time, started in the order given, and it resolves when all have finished", async (t) => {
  const tasks = controlledTasks();
  let settled = false;
  const pool = runPool(["a", "b", "c", "d", "e"], 2, tasks.task).then(() => (settled = true));
  await tasks.startedCount(2);
  t.same(tasks.started, ["a", "b"], "two start at once");
  tasks.finishers.get("b")!.resolve();
  await tasks.startedCount(3);
  t.same(tasks.started, ["a", "b", "c"], "a task that ends makes room for the next in order");
  for (const item of ["a", "c"]) tasks.finishers.get(item)!.resolve();
  await tasks.startedCount(5);
  t.same(tasks.started, ["a", "b", "c", "d", "e"]);
  tasks.finishers.get("d")!.resolve();
  await Promise.resolve();
  t.notOk(settled, "not settled while a task is under way");
  tasks.finishers.get("e")!.resolve();
  await pool;
  t.equal(tasks.mostAtOnce(), 2);
});

t.test("more jobs than items starts each item once; no items resolves at once", async (t) => {
  const seen: number[] = [];
  await runPool([1, 2, 3], 10, async (item) => void seen.push(item));
  t.same(seen, [1, 2, 3]);
  await runPool([], 4, () => Promise.reject(new Error("never called")));
  t.pass("an empty list calls no task");
});

t.test("a failure starts no further task, and rejects with the first error once the tasks under way have finished", async (t) => {
  const tasks = controlledTasks();
  let outcome: unknown;
  const pool = runPool(["a", "b", "c", "d"], 2, tasks.task).then(
    () => (outcome = "resolved"),
    (error: Error) => (outcome = error),
  );
  await tasks.startedCount(2);
  tasks.finishers.get("a")!.reject(new Error("first"));
  // Settling takes a few turns of the microtask queue: a macrotask turn leaves them all done.
  await new Promise<void>((resolve) => setImmediate(resolve));
  t.same(tasks.started, ["a", "b"], "no task starts after a failure");
  t.equal(outcome, undefined, "b is still under way");
  tasks.finishers.get("b")!.reject(new Error("second"));
  await pool;
  t.type(outcome, Error);
  t.equal((outcome as Error).message, "first", "the first error, not a later one");
});
