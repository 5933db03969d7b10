/**
 * A schedule that stopped (its scheduler gone with a Redis restarted without persistence, no
 * worker taking extract jobs) is noticed when the rows behind are not measured too (`--no-sources`,
 * outside a read window, a source down): two scheduled times passed without a run starting.
 */
import { describe, expect, it } from 'vitest';
import { scheduleAttention } from '../../pipelines/observability/attention.js';

const NOW = new Date('2026-03-04T10:30:00Z');
const hoursAgo = (h: number) => new Date(NOW.getTime() - h * 3_600_000);

describe('schedule-lag with the rows behind not measured', () => {
  it('names a schedule with no run since two scheduled times', () => {
    const notes = scheduleAttention('p', '0 * * * *', null, hoursAgo(3), NOW, 'UTC');
    expect(notes).toEqual([
      {
        kind: 'schedule-lag',
        message:
          'pipeline p: no run started since the scheduled times 2026-03-04 09:00 +00:00 and 2026-03-04 10:00 +00:00 (rows behind not measured); check that `licbridge schedule` installed the schedule and a `licbridge worker` runs',
      },
    ]);
    expect(scheduleAttention('p', '0 * * * *', null, null, NOW, 'UTC')).toHaveLength(1);
  });

  it('says nothing while a run started since the one before the last', () => {
    expect(scheduleAttention('p', '0 * * * *', null, hoursAgo(1.4), NOW, 'UTC')).toEqual([]);
    expect(scheduleAttention('p', '0 * * * *', null, hoursAgo(0.2), NOW, 'UTC')).toEqual([]);
    expect(scheduleAttention('p', undefined, null, hoursAgo(30), NOW, 'UTC')).toEqual([]);
  });

  it('leaves a measured lag of 0 alone: nothing waits', () => {
    expect(scheduleAttention('p', '0 * * * *', 0, hoursAgo(30), NOW, 'UTC')).toEqual([]);
  });
});
