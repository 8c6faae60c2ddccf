import { existsSync } from "node:fs";
import { compareBaseline, loadBaseline, saveBaseline, updatedBaseline, type Baseline, type BaselineVerdict } from "../conformance/baseline.js";
import type { Report } from "../conformance/report.js";
import { UsageError } from "../conformance/usage.js";

/** The baseline file, checked; a missing one is an error unless it is about to be written. */
export function readBaseline(file: string, protocol: string, mayBeMissing: boolean): Baseline | undefined {
  if (!existsSync(file)) {
    if (mayBeMissing) return undefined;
    throw new UsageError(`no baseline at ${file} (--baseline-update writes one)`);
  }
  try {
    const baseline = loadBaseline(file);
    if (baseline.protocol !== protocol) throw new Error(`it is for ${baseline.protocol}, not ${protocol}`);
    return baseline;
  } catch (error) {
    throw new UsageError(`bad baseline ${file}: ${(error as Error).message}`);
  }
}

/**
 * Writes the baseline file from the run (--baseline-update, --baseline-prune), or measures the run against
 * it, saying what is new and what now passes.
 */
export function applyBaseline(
  report: Report,
  file: string,
  baseline: Baseline | undefined,
  mode: "update" | "prune" | undefined,
  humanOnTerminal: boolean,
): BaselineVerdict | "written" {
  const say = (line: string) => (humanOnTerminal ? process.stdout : process.stderr).write(`${line}\n`);
  if (mode) {
    const updated = updatedBaseline(report, baseline, mode);
    try {
      saveBaseline(file, updated);
    } catch (error) {
      throw new UsageError(`could not write the baseline ${file} (${(error as NodeJS.ErrnoException).code ?? String(error)}); the report is written`);
    }
    say(`wrote ${file}: ${updated.accepted.length} accepted unmet rule(s)`);
    return "written";
  }
  const measured = compareBaseline(report, baseline!);
  for (const r of measured.newFailures) say(`NEW   ${r.id.padEnd(32)} not in the baseline: ${r.detail.message}`);
  for (const id of measured.nowPassing) say(`FIXED ${id.padEnd(32)} passes now: --baseline-prune drops it from the baseline`);
  say(
    `baseline ${file}: ${baseline!.accepted.length} accepted, ${measured.newFailures.length} new failure(s), ${measured.nowPassing.length} now pass${measured.unchecked.length ? `, ${measured.unchecked.length} not checked` : ""}. ${measured.ok ? "OK" : "NEW FAILURES"}`,
  );
  return measured;
}
