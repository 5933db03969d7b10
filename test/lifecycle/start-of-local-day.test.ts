/**
 * Where a deadline's day begins, in the zone the department set (`lifecycle.timeZone`): the first
 * instant whose date is that day, also in a zone whose summer time starts at midnight and skips
 * 00:00 — there the reading of 00:00 falls an hour into the day before, and an objection opened at
 * 23:30 that evening was not counted open on its own day.
 */
import { describe, expect, it } from 'vitest';
import { localDate } from '../../core/local-date.js';
import { startOfLocalDay } from '../../pipelines/lifecycle/calendar.js';

/** The day's start is on `day`, and the millisecond before it on the day before. */
function expectStartOf(day: string, zone: string): Date {
  const at = startOfLocalDay(day, zone);
  expect(localDate(zone, at)).toBe(day);
  expect(localDate(zone, new Date(at.getTime() - 1))).not.toBe(day);
  return at;
}

describe('startOfLocalDay', () => {
  it('is local midnight where the day has one', () => {
    expect(expectStartOf('2026-03-01', 'Asia/Shanghai').toISOString()).toBe('2026-02-28T16:00:00.000Z');
    // Summer time starting at 02:00, and a fall back to 00:00 (the first of the two midnights).
    expect(expectStartOf('2026-03-08', 'America/New_York').toISOString()).toBe('2026-03-08T05:00:00.000Z');
    expect(expectStartOf('2026-11-01', 'America/Havana').toISOString()).toBe('2026-11-01T04:00:00.000Z');
  });

  it('is the jump of the clock where summer time skips midnight (Havana, Santiago)', () => {
    // Havana: 2026-03-08 00:00 CST is 01:00 CDT, at 05:00Z; 23:30 the evening before is 04:30Z.
    expect(expectStartOf('2026-03-08', 'America/Havana').toISOString()).toBe('2026-03-08T05:00:00.000Z');
    expect(startOfLocalDay('2026-03-08', 'America/Havana') > new Date('2026-03-08T04:30:00Z')).toBe(true);
    // Santiago: 2026-09-06 00:00 -04 is 01:00 -03, at 04:00Z.
    expect(expectStartOf('2026-09-06', 'America/Santiago').toISOString()).toBe('2026-09-06T04:00:00.000Z');
  });

  it('is the start of the next day where the zone skipped the day (Samoa, 30 December 2011)', () => {
    // Samoa crossed the date line: 29 Dec 2011 24:00 at UTC-10 was 31 Dec 00:00 at UTC+14, at
    // 10:00Z. "Before the end of 29 December" is before then, not before the 29th began.
    const next = expectStartOf('2011-12-31', 'Pacific/Apia');
    expect(next.toISOString()).toBe('2011-12-30T10:00:00.000Z');
    expect(startOfLocalDay('2011-12-30', 'Pacific/Apia')).toEqual(next);
    expect(localDate('Pacific/Apia', new Date(next.getTime() - 1))).toBe('2011-12-29');
  });
});
