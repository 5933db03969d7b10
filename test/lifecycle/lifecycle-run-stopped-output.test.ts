/**
 * What `lifecycle run` prints and exits with when a signal stopped its tick: the summary says so
 * and what is left, and the exit code is the signal's (143, 130), as `licbridge run`'s.
 */
import { describe, expect, it } from 'vitest';
import {
  lifecycleRunExitCode,
  lifecycleRunJson,
  lifecycleRunText,
} from '../../cli/commands/lifecycle-run-output.js';
import type { LifecycleRunSummary } from '../../pipelines/lifecycle/run-tick.js';

const summary = (stoppedBy?: string): LifecycleRunSummary => ({
  today: '2027-03-10',
  timeZone: 'Asia/Shanghai',
  pipelines: [],
  delivery: {},
  reminders: {
    today: '2027-03-10',
    due: 3,
    sent: 1,
    replayed: 0,
    skipped: 0,
    dropped: 0,
    failed: 0,
    deferred: 0,
    byOtherTick: 0,
    contactsPurged: 0,
    ...(stoppedBy ? { stopped: { signal: stoppedBy, left: 2 } } : {}),
  },
  ...(stoppedBy ? { stoppedBy } : {}),
});

describe('lifecycle run stopped by a signal', () => {
  it('says it was stopped and what is left, and exits with the signal', () => {
    expect(lifecycleRunText(summary('SIGTERM'))).toContain(
      "  stopped by SIGTERM before the tick's work was complete; 2 reminders left pending unsent; the next tick expires, sends and reminds what is left\n",
    );
    expect(JSON.parse(lifecycleRunJson(summary('SIGINT')))).toMatchObject({
      stoppedBy: 'SIGINT',
      reminders: { stopped: { signal: 'SIGINT', left: 2 } },
    });
    expect(lifecycleRunExitCode(summary('SIGTERM'))).toBe(143);
    expect(lifecycleRunExitCode(summary('SIGINT'))).toBe(130);
  });

  it('a tick not stopped says nothing of it', () => {
    expect(lifecycleRunText(summary())).not.toContain('stopped');
    expect(JSON.parse(lifecycleRunJson(summary()))).not.toHaveProperty('stoppedBy');
    expect(lifecycleRunExitCode(summary())).toBeUndefined();
  });
});
