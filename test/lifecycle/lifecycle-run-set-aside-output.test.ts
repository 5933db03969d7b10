/**
 * What `lifecycle run` prints and exits with when its tick set licenses aside, their stored text
 * corrupt (docs/lifecycle.md): they stay `valid` past their last day, in the ledger and at the
 * platforms, until a person restores the text. The text summary said `expired N` and nothing of
 * them, and the command exited 0; only the log and `--json` named them.
 */
import { describe, expect, it } from 'vitest';
import { lifecycleRunExitCode, lifecycleRunText } from '../../cli/commands/lifecycle-run-output.js';
import type { LifecycleRunSummary } from '../../pipelines/lifecycle/run-tick.js';

const LICENSE = '1.2.156.3005.2.11370200MB12345674001.11370211MB12345672.K4Y975IEBYOYRY0S6DCI';

const summary = (setAside: string[]): LifecycleRunSummary => ({
  today: '2027-03-10',
  timeZone: 'Asia/Shanghai',
  pipelines: [
    {
      pipeline: 'food',
      runId: 'lifecycle-2027-03-10-x',
      outcome: 'ticked',
      expired: 2,
      created: [],
      setAside,
    },
  ],
  delivery: {},
});

describe('lifecycle run whose tick set licenses aside', () => {
  it('names how many were not expired and where to look, and exits 3', () => {
    const text = lifecycleRunText(summary([LICENSE]));
    expect(text).toContain(
      '  food: expired 2; 1 not expired, its stored text corrupt (quarantined LB_STORED_TEXT: licbridge quarantine list)\n',
    );
    expect(lifecycleRunExitCode(summary([LICENSE]))).toBe(3);
  });

  it('says nothing of it, and exits 0, when none was set aside', () => {
    expect(lifecycleRunText(summary([]))).toContain('  food: expired 2\n');
    expect(lifecycleRunExitCode(summary([]))).toBeUndefined();
  });
});
