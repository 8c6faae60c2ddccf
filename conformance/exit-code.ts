import type { BaselineVerdict } from "./baseline.js";
import { verdict, type Report } from "./report.js";

/** What a run of `sockspec check` came to, besides its report, for its exit code. */
export interface RunEnd {
  report: Report;
  /** The kit's own bug showed during the run (a promise it left unhandled); the report is written still. */
  internalError?: boolean;
  /** A replay of a timing-dependent case, which passing proves nothing about. */
  timingReplay?: boolean;
  /**
   * Measures the run against a baseline, or writes the baseline from it (`written`); called only for a run
   * that checked something and was not interrupted.
   */
  baseline?: () => BaselineVerdict | "written";
  /** The run's time limit in seconds (--max-time), for the words of an interrupted run. */
  maxTimeS?: number;
}

/** The exit codes of `sockspec check` and `sockspec replay`, as --help lists them. */
export const EXIT = {
  /** No MUST failed (with --strict no SHOULD either, with --fail-on-skip no rule skipped), or the baseline holds. */
  ok: 0,
  /** A rule the run must not leave unmet was unmet, or a replayed case still fails. */
  unmet: 1,
  /** Bad arguments, a target that cannot be reached or started, an interrupted run, or nothing checked. */
  notChecked: 2,
  /** A timing-dependent case was replayed and did not fail again, which proves nothing. */
  notReproduced: 3,
  /** The kit's own bug. */
  internalError: 70,
} as const;

/** The one place that decides how a run exits, with why when it is not its verdict (for stderr). */
export function runExit({ report, internalError, timingReplay, baseline, maxTimeS }: RunEnd): { code: number; why?: string } {
  if (internalError) return { code: EXIT.internalError };
  if (timingReplay && report.rules[0]?.outcome === "skip") return { code: EXIT.notReproduced };
  if (report.interrupted) {
    const notRun = report.rules.filter((r) => r.outcome === "skip").length;
    return { code: EXIT.notChecked, why: `interrupted: the run reached --max-time ${maxTimeS} s, with ${notRun} rule(s) skipped or not run` };
  }
  // A green exit would be a silent success.
  if (verdict(report) === "NOTHING CHECKED")
    return { code: EXIT.notChecked, why: `no rule ran: all ${report.summary.total} selected were skipped (${report.rules[0]!.detail.message})` };
  const measured = baseline?.();
  if (measured === "written") return { code: EXIT.ok };
  if (measured) return { code: measured.ok ? EXIT.ok : EXIT.unmet };
  return { code: report.summary.ok ? EXIT.ok : EXIT.unmet };
}

/** The exit code of a run that ended with this report (no baseline, no replay): `sockspec check`'s. */
export const exitCode = (report: Report): number => runExit({ report }).code;

/**
 * Ends the process once what it wrote has gone out: a write to a pipe is not done when write() returns, and
 * process.exit() would cut a report piped to another program (`sockspec check --reporter json | jq`).
 */
export function exitWhenWritten(code: number): void {
  let pending = 2;
  const written = () => {
    if (--pending === 0) process.exit(code);
  };
  process.stdout.write("", written);
  process.stderr.write("", written);
}
