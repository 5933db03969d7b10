/**
 * The schedule-lag line of `licbridge status` gives the scheduled times it missed on the clock the
 * schedule is installed in (lifecycle.timeZone), as `licbridge schedule` and the next-run line do
 * (core/zoned-time.ts). In UTC ISO the 02:00 tick of `0 2 * * *` in Beijing read
 * `2026-03-09T18:00:00.000Z`: the day before at six in the evening, which looks like a schedule
 * installed in the wrong zone and sends a person looking for the wrong run.
 */
import { describe, expect, it } from 'vitest';
import { scheduleAttention } from '../../pipelines/observability/attention.js';

// 11:00 on 10 March in Beijing; the last run started at 02:05 on 9 March there (8 March, below).
const now = new Date('2026-03-10T03:00:00Z');
const missed = new Date('2026-03-08T18:05:00Z');

describe('the schedule-lag line on the schedule clock', () => {
  it('names the missed tick in Asia/Shanghai, with the offset', () => {
    const [note] = scheduleAttention('food', '0 2 * * *', 5, missed, now, 'Asia/Shanghai');
    expect(note?.message).toContain('no run started since the scheduled time 2026-03-10 02:00 +08:00;');
  });

  it('names both missed ticks when the rows behind are not measured', () => {
    const twoAgo = new Date('2026-03-07T18:05:00Z');
    const [note] = scheduleAttention('food', '0 2 * * *', null, twoAgo, now, 'Asia/Shanghai');
    expect(note?.message).toContain(
      'no run started since the scheduled times 2026-03-09 02:00 +08:00 and 2026-03-10 02:00 +08:00 (rows behind not measured)',
    );
  });
});
