/**
 * `licbridge schedule`, `licbridge status` and the schedule problems print each schedule time on
 * the clock its expression is read on, with the offset: as ISO in UTC, the 02:00 Beijing tick read
 * 18:00 the day before.
 */
import { describe, expect, it } from 'vitest';
import { zonedTime } from '../../core/zoned-time.js';

describe('schedule times on the configured clock', () => {
  it('shows a UTC instant as the wall time of the zone, with its offset', () => {
    expect(zonedTime('2026-12-03T18:00:00.000Z', 'Asia/Shanghai')).toBe('2026-12-04 02:00 +08:00');
    expect(zonedTime('2026-12-03T18:00:00.000Z', 'Asia/Kolkata')).toBe('2026-12-03 23:30 +05:30');
  });

  it('says +00:00 at offset zero, shows seconds only when a tick has them, and - for none', () => {
    expect(zonedTime('2026-12-03T18:00:00.000Z', 'UTC')).toBe('2026-12-03 18:00 +00:00');
    expect(zonedTime('2026-12-03T18:00:30.000Z', 'Asia/Shanghai')).toBe('2026-12-04 02:00:30 +08:00');
    expect(zonedTime(null, 'Asia/Shanghai')).toBe('-');
  });
});
