/**
 * The reminders line of `lifecycle run`'s text: reminders another tick running at the same time
 * claimed first are said as that tick's, not as pending ones of this tick, nor left unsaid.
 */
import { describe, expect, it } from 'vitest';
import { lifecycleRunText } from '../../cli/commands/lifecycle-run-output.js';
import type { ReminderRunSummary } from '../../pipelines/lifecycle/reminders.js';
import type { LifecycleRunSummary } from '../../pipelines/lifecycle/run-tick.js';

const summary = (reminders: Partial<ReminderRunSummary>): LifecycleRunSummary => ({
  today: '2027-03-10',
  timeZone: 'Asia/Shanghai',
  pipelines: [],
  delivery: {},
  reminders: {
    today: '2027-03-10',
    due: 0,
    sent: 0,
    replayed: 0,
    skipped: 0,
    dropped: 0,
    failed: 0,
    deferred: 0,
    byOtherTick: 0,
    contactsPurged: 0,
    ...reminders,
  },
});

describe('lifecycle run: reminders another tick took', () => {
  it('a tick that only waited on another tick for a reminder left pending says so', () => {
    expect(lifecycleRunText(summary({ byOtherTick: 1 }))).toContain(
      '  expiry reminders: 0 sent, 0 skipped, 0 dropped, 0 still pending, 1 left to another tick running at the same time\n',
    );
  });

  it('a due reminder another tick sent is not said as only "0 still pending"', () => {
    expect(lifecycleRunText(summary({ due: 2, sent: 1, byOtherTick: 1 }))).toContain(
      '  expiry reminders: 1 sent, 0 skipped, 0 dropped, 0 still pending, 1 left to another tick running at the same time\n',
    );
  });

  it('none left to another tick: the line is as before, and no line for a tick with no reminders', () => {
    expect(lifecycleRunText(summary({ due: 1, sent: 1 }))).toContain(
      '  expiry reminders: 1 sent, 0 skipped, 0 dropped, 0 still pending\n',
    );
    expect(lifecycleRunText(summary({}))).not.toContain('expiry reminders');
  });
});
