/**
 * `status` judges a schedule in the zone `licbridge schedule` installed it in (lifecycle.timeZone),
 * not in the zone of the host asking: read in UTC, `0 2 * * *` was due at 10:00 in Beijing, and a
 * pipeline that ran at 02:05 Beijing time counted as behind all morning.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { previousCronTime, scheduleAttention } from '../../pipelines/observability/attention.js';
import { nextCronTime } from '../../pipelines/observability/queue-stats.js';

const ZONE = 'Asia/Shanghai';

describe('schedule-lag and the next run are judged in the schedule zone', () => {
  const hostZone = process.env.TZ;
  beforeAll(() => {
    process.env.TZ = 'UTC';
  });
  afterAll(() => {
    if (hostZone === undefined) delete process.env.TZ;
    else process.env.TZ = hostZone;
  });

  // 11:00 in Beijing; the 02:00 (Beijing) run started at 02:05 and some rows came in since.
  const now = new Date('2026-03-10T03:00:00Z');
  const ranAt = new Date('2026-03-09T18:05:00Z');

  it('the last tick is 02:00 in the schedule zone', () => {
    expect(previousCronTime('0 2 * * *', now, ZONE)?.toISOString()).toBe('2026-03-09T18:00:00.000Z');
  });

  it('a pipeline that ran after its last local tick is not behind', () => {
    expect(scheduleAttention('food', '0 2 * * *', 5, ranAt, now, ZONE)).toEqual([]);
  });

  it('one that missed the local tick is', () => {
    const missed = new Date('2026-03-08T18:05:00Z');
    const notes = scheduleAttention('food', '0 2 * * *', 5, missed, now, ZONE);
    expect(notes.map((n) => n.kind)).toEqual(['schedule-lag']);
    expect(notes[0]?.message).toContain('2026-03-10 02:00 +08:00');
  });

  it('the next run from the config is 02:00 in the schedule zone', () => {
    expect(nextCronTime('0 2 * * *', now, ZONE)).toBe('2026-03-10T18:00:00.000Z');
  });
});
