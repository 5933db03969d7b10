/**
 * `licbridge run`'s exit code once its runs settled (docs/getting-started.md, "Exit codes"): 1 for a
 * failed run, 3 when versions were dead-lettered or when the light check after the run could not
 * be made — the run's work is done but nothing proves source and ledger agree — else 0.
 */
import { describe, expect, it } from 'vitest';
import { runExitCode } from '../../cli/commands/run.js';
import { EXIT_ATTENTION, EXIT_FAILED } from '../../cli/errors.js';
import { signalExitCode } from '../../cli/signals.js';
import type { RunSummary } from '../../pipelines/run-pipelines.js';
import { doneRun as done } from './run-summaries.js';

describe('licbridge run exit code', () => {
  it('is 0 for runs done and checked, and with the check turned off', () => {
    expect(runExitCode([done()])).toBeUndefined();
    expect(runExitCode([done({ check: undefined })])).toBeUndefined();
  });

  it('is 3 when the light check after the run failed', () => {
    expect(runExitCode([done(), done({ check: { error: 'light check: source unreachable' } })])).toBe(
      EXIT_ATTENTION,
    );
  });

  it('is 3 with dead letters and 1 with a failed run, which comes first', () => {
    expect(runExitCode([done({ deadLettered: { province: 2 } })])).toBe(EXIT_ATTENTION);
    expect(
      runExitCode([
        done({ check: { error: 'light check: x' } }),
        done({ state: 'failed' } as Partial<RunSummary>),
      ]),
    ).toBe(EXIT_FAILED);
  });

  it("is the signal's when a signal stopped the run as it settled, unless a run failed", () => {
    const notMade = done({ check: { error: 'light check: not made, the run was stopped (SIGTERM)' } });
    expect(runExitCode([notMade], 'SIGTERM')).toBe(143);
    expect(runExitCode([done({ deadLettered: { province: 2 } })], 'SIGINT')).toBe(130);
    expect(runExitCode([notMade, done({ state: 'failed' } as Partial<RunSummary>)], 'SIGTERM')).toBe(
      EXIT_FAILED,
    );
  });
});

describe('signalExitCode', () => {
  it('is 128 + the signal number, as a shell reports a process the signal ended', () => {
    expect(signalExitCode('SIGTERM')).toBe(143);
    expect(signalExitCode('SIGINT')).toBe(130);
  });
});
