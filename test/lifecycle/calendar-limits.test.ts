/**
 * The edges of the working-day arithmetic: what it refuses, and the longest deadline the config
 * allows (`deadlines.*WorkingDays` go up to 60). Monday to Friday, 60 working days are twelve
 * weeks: from Mon 4 Jan 2027 the 60th working day is Mon 29 Mar 2027.
 */
import { describe, expect, it } from 'vitest';
import { addDays } from '../../core/local-date.js';
import {
  addWorkingDays,
  earliestStartReaching,
  isWorkingDay,
  latestOverdueStart,
  overdueWorkingDays,
  startOfLocalDay,
  type WorkingCalendar,
} from '../../pipelines/lifecycle/calendar.js';
import { calendarOf } from '../../pipelines/lifecycle/calendar-config.js';

const cal = calendarOf({});
const weekdaysOnly: WorkingCalendar = { holidays: new Set(), workdays: new Set(), years: new Set() };

describe('what the calendar refuses', () => {
  it('a day not written YYYY-MM-DD, named in the error', () => {
    expect(() => isWorkingDay(cal, '2026/03/02')).toThrow(
      new RangeError('calendar: not a date YYYY-MM-DD: 2026/03/02'),
    );
    expect(() => startOfLocalDay('2026/03/02', 'Asia/Shanghai')).toThrow(
      new RangeError('calendar: not a date YYYY-MM-DD: 2026/03/02'),
    );
  });

  it('a number of working days below 0 or not whole', () => {
    expect(() => addWorkingDays(cal, '2026-02-12', -1)).toThrow(
      new RangeError('calendar: working days must be a whole number ≥ 0, got -1'),
    );
    expect(() => addWorkingDays(cal, '2026-02-12', 1.5)).toThrow(
      new RangeError('calendar: working days must be a whole number ≥ 0, got 1.5'),
    );
  });

  it('a calendar with no working day for two years: an error, not a day years away', () => {
    const holidays = new Set<string>();
    for (let d = '2026-01-01'; d <= '2027-12-31'; d = addDays(d, 1)) holidays.add(d);
    const broken: WorkingCalendar = { holidays, workdays: new Set(), years: new Set([2026, 2027]) };
    expect(() => addWorkingDays(broken, '2026-01-01', 1)).toThrow(
      new RangeError('calendar: no working day found after 2026-01-01'),
    );
  });
});

describe('the longest deadline the config allows, 60 working days', () => {
  it('falls twelve weeks on', () => {
    expect(addWorkingDays(weekdaysOnly, '2027-01-04', 60)).toBe('2027-03-29');
  });

  it('is not overdue on its last working day, overdue by 1 the working day after', () => {
    expect(overdueWorkingDays(weekdaysOnly, '2027-01-04', 60, '2027-03-29')).toBe(0);
    expect(overdueWorkingDays(weekdaysOnly, '2027-01-04', 60, '2027-03-30')).toBe(1);
    // Started Tue 5 Jan, due Tue 30 Mar: the latest start already late on the 30th is the 4th.
    expect(latestOverdueStart(weekdaysOnly, 60, '2027-03-30')).toBe('2027-01-04');
  });

  it('reaches a day from a start twelve weeks before it', () => {
    // Started Wed 6, Tue 5 or Mon 4 Jan: due on or after Mon 29 Mar; started Sun 3 Jan: Fri 26 Mar.
    expect(earliestStartReaching(weekdaysOnly, 60, '2027-03-29', '2027-01-06')).toBe('2027-01-04');
  });
});
