import { fc, type HttpRequest, type RuleCheck, TooSlowToJudgeError } from "../../../kit/index.js";
import { status } from "../spec/index.js";
import type { StatusRuleId } from "../spec/rule-ids.js";
import { answeredCode, anyCase, badSleep, badSleepQuery, integerSpace, shortSleep, unreadableSleep } from "./arbitraries.js";
import { check, type StatusSession } from "./session.js";
import { TIMER_GRANULARITY_MS, formEncoded, get } from "./shared.js";

/** Sleeps this long or longer are compared with an answer asked without one; a shorter one is within the time any answer may take. */
const SHOWN_SLEEP_MS = 20;

/**
 * Asks for `code` with a sleep (`sleeping` builds the request and says what it is) and requires that status,
 * no sooner than the sleep. An answer that late shows the sleep only if the server answers sooner without
 * one, asked just before and just after: on a loaded machine a server that ignores the sleep may answer
 * that late anyway, and a burst of load may delay one answer and not its neighbours. When either neighbour
 * is as slow, the request is asked again with a sleep four times as long, twice, before the run counts as
 * not checkable.
 */
async function expectSlept(
  run: StatusSession,
  code: number,
  firstSleepMs: number,
  sleeping: (sleepMs: number) => { request: HttpRequest; what: string },
): Promise<void> {
  const unslept = async () => (await run.ask(get(code))).ms;
  for (let sleepMs = firstSleepMs, tries = 1; ; sleepMs = Math.min(sleepMs * 4, run.ctx.spec.limits.maxSleepMs!), tries++) {
    const shown = sleepMs >= SHOWN_SLEEP_MS;
    const before = shown ? await unslept() : 0;
    const { request, what } = sleeping(sleepMs);
    const answer = await run.ask(request, run.ctx.timeouts.replyMs + Math.max(0, sleepMs));
    run.expectEqual(`the status of ${what}`, answer.status, code);
    if (answer.ms < sleepMs - TIMER_GRANULARITY_MS) run.fail(`the answer no sooner than ${sleepMs} ms`, `it came after ${answer.ms.toFixed(1)} ms`);
    if (!shown) return;
    const slowest = Math.max(before, await unslept());
    if (slowest < sleepMs - TIMER_GRANULARITY_MS) return;
    if (tries === 3)
      throw new TooSlowToJudgeError(
        `GET /${code} took ${slowest.toFixed(1)} ms without a sleep, as long as the ${sleepMs} ms sleep asked: this machine is too loaded to show whether the server sleeps`,
      );
  }
}

/** How long GET /<code> takes while another request for it sleeps `sleepMs`; waits for the sleeper too. */
async function answeredBesideSleep(run: StatusSession, code: number, sleepMs: number): Promise<number> {
  const sleeping = run.ask(get(code, undefined, `?sleep=${sleepMs}`), run.ctx.timeouts.replyMs + sleepMs);
  // Handled at once: when the other request fails first, the run ends with that failure, and this one's
  // failure, if any, must not be left unhandled.
  sleeping.catch(() => {});
  const other = await run.ask(get(code));
  await sleeping;
  return other.ms;
}

/** Sleeps before answering: asked in the query or a header, side by side, and bounded. */
export const sleepChecks: Array<RuleCheck<StatusRuleId>> = [
  check({
    id: "STATUS-SLEEP",
    runs: "tenth",
    servers: "shared",
    inputs: fc.tuple(
      answeredCode,
      fc.oneof({ arbitrary: shortSleep, weight: 3 }, { arbitrary: fc.integer({ min: -(2 ** 31), max: -1 }), weight: 1 }),
      anyCase("sleep"),
      integerSpace,
      integerSpace,
    ),
    run: async (run, [code, sleepMs, name, before, after]) => {
      await expectSlept(run, code, sleepMs, (ms) => {
        const query = `?${name}=${formEncoded(before)}${ms}${formEncoded(after)}`;
        return { request: get(code, undefined, query), what: `GET /${code}${query}` };
      });
    },
  }),
  check({
    id: "STATUS-SLEEP-CONCURRENT",
    // A sleep that blocks the server blocks every request: a few runs show it.
    runs: "twentieth",
    // Each run waits out a sleep: such rules start first.
    waitsMs: () => 600,
    servers: "shared",
    inputs: fc.tuple(answeredCode, fc.integer({ min: 300, max: 600 })),
    run: async (run, [code, sleepMs]) => {
      // A loaded machine may answer any request late, but a server that a sleep blocks is late whatever the
      // sleep: a late answer is asked again beside a sleep four times as long, twice, before it counts.
      for (let sleep = sleepMs, tries = 1; ; sleep = Math.min(sleep * 4, run.ctx.spec.limits.maxSleepMs), tries++) {
        const took = await answeredBesideSleep(run, code, sleep);
        if (took < sleep) return;
        if (tries === 3)
          run.fail(`GET /${code} answered while another request sleeps ${sleep} ms`, `it took ${took.toFixed(1)} ms (and as long beside shorter sleeps)`);
      }
    },
  }),
  check({
    id: "STATUS-SLEEP-BOUND",
    servers: "shared",
    inputs: fc.tuple(answeredCode, badSleepQuery),
    run: async (run, [code, query]) => {
      const answer = await run.ask(get(code, undefined, `?${query}`));
      run.expectEqual(`the status of GET /${code}?${query}`, answer.status, 400);
    },
  }),
  check({
    id: "STATUS-SLEEP-HEADER",
    runs: "tenth",
    servers: "shared",
    inputs: fc.tuple(
      answeredCode,
      fc.oneof(
        shortSleep.map((ms) => ({ header: String(ms), ms })),
        badSleep.filter((sleep) => /^[0-9]+$/.test(sleep)).map((header) => ({ header, refused: true as const })),
        unreadableSleep.map((header) => ({ header })),
        fc.tuple(shortSleep, badSleep).map(([ms, header]) => ({ header, query: ms, ms })),
      ),
    ),
    run: async (run, [code, { header, query, ms, refused }]: [number, { header: string; query?: number; ms?: number; refused?: true }]) => {
      const asking = (header: string, query: number | undefined) => ({
        request: get(code, undefined, query === undefined ? "" : `?sleep=${query}`, { [status.wireTexts.sleepHeader]: header }),
        what: `GET /${code}${query === undefined ? "" : `?sleep=${query}`} with ${status.wireTexts.sleepHeader}: ${header}`,
      });
      if (ms !== undefined)
        // The sleep asked in the header, or in the query beside a bad header.
        return expectSlept(run, code, ms, (sleep) => (query === undefined ? asking(String(sleep), undefined) : asking(header, sleep)));
      const { request, what } = asking(header, query);
      const answer = await run.ask(request);
      run.expectEqual(`the status of ${what}`, answer.status, refused ? 400 : code);
    },
  }),
];
