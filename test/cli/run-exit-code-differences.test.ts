/**
 * `licbridge run` whose light check after the run (`reconcile.afterRun: light`) found source and
 * ledger apart — keys the source holds that are neither a license nor quarantined (`missed`),
 * licenses whose key the source no longer holds — exited 0, as a run whose check found them in
 * agreement. Only the summary's `check:` line said so: a run started by cron or a systemd timer saw
 * success, while `licbridge status` exits 3 for the same report and `licbridge reconcile --light`
 * exits 1. It exits 3 now, as it does when the check could not be made (docs/getting-started.md,
 * "Exit codes"): something needs a person.
 */
import { describe, expect, it } from 'vitest';
import { runExitCode } from '../../cli/commands/run.js';
import { EXIT_ATTENTION, EXIT_FAILED } from '../../cli/errors.js';
import type { RunCheck, RunSummary } from '../../pipelines/run-pipelines.js';
import { doneRun } from './run-summaries.js';

const done = (check: RunCheck | undefined, over: Partial<RunSummary> = {}): RunSummary =>
  doneRun({ check, ...over });

const apart = (differences: number): RunCheck => ({
  reportId: 'report-1',
  sourceKeys: 12,
  ledgerLicenses: 10,
  quarantined: 0,
  differences,
});

describe('licbridge run exit code after a light check that found differences', () => {
  it('is 3 when the check found source and ledger apart', () => {
    expect(runExitCode([done(apart(2))])).toBe(EXIT_ATTENTION);
  });

  it("is 3 when one pipeline's check of several found them apart", () => {
    expect(runExitCode([done(apart(0)), done(apart(1), { pipeline: 'drugs', runId: 'r2' })])).toBe(
      EXIT_ATTENTION,
    );
  });

  it('is 0 when the check found them in agreement, or was not made outside the read window', () => {
    expect(runExitCode([done(apart(0))])).toBeUndefined();
    expect(runExitCode([done({ notMade: 'light check: not made, outside the window' })])).toBeUndefined();
  });

  it("is 1 when a run failed beside it, and the signal's when a signal stopped the run as it settled", () => {
    expect(runExitCode([done(apart(3)), done(undefined, { state: 'failed' })])).toBe(EXIT_FAILED);
    expect(runExitCode([done(apart(3))], 'SIGTERM')).toBe(143);
  });
});
