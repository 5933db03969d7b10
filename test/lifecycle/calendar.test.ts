/**
 * Working-day arithmetic across the 2026 Spring Festival and National Day with their adjusted
 * working weekends. Every expected day below is worked out by hand from the State Council General
 * Office's notice 《国务院办公厅关于2026年部分节假日安排的通知》 (2025-11-04), as released by Xinhua:
 *   元旦 1月1日（周四）至3日（周六）放假，1月4日（周日）上班；
 *   春节 2月15日（周日）至23日（周一）放假调休，共9天，2月14日（周六）、2月28日（周六）上班；
 *   中秋节 9月25日（周五）至27日（周日）放假；
 *   国庆节 10月1日（周四）至7日（周三）放假调休，共7天，9月20日（周日）、10月10日（周六）上班。
 */
import { describe, expect, it } from 'vitest';
import {
  addWorkingDays,
  isWorkingDay,
  latestOverdueStart,
  overdueWorkingDays,
  startOfLocalDay,
  type WorkingCalendar,
  workingDaysAfter,
  yearsWithoutArrangement,
} from '../../pipelines/lifecycle/calendar.js';
import { calendarOf } from '../../pipelines/lifecycle/calendar-config.js';

const cal = calendarOf({});
const weekdaysOnly: WorkingCalendar = { holidays: new Set(), workdays: new Set(), years: new Set() };

describe('the shipped 2026 arrangement reads like the notice', () => {
  it('names 2026 and its notice, and nothing for 2027', () => {
    expect([...cal.years]).toEqual([2026]);
    expect(cal.sources.get(2026)).toContain('2026年部分节假日安排');
  });

  it('has the notice’s block lengths (3, 9, 3, 5, 3, 3, 7 days) and only weekend working days', () => {
    const byMonth = (m: string) => [...cal.holidays].filter((d) => d.startsWith(m)).length;
    expect([
      byMonth('2026-01'),
      byMonth('2026-02'),
      byMonth('2026-04'),
      byMonth('2026-05'),
      byMonth('2026-06'),
      byMonth('2026-09'),
      byMonth('2026-10'),
    ]).toEqual([3, 9, 3, 5, 3, 3, 7]);
    // The notice says 周日, 周六, 周六, 周六, 周日, 周六 for these days.
    const weekday = (d: string) => new Date(`${d}T00:00:00Z`).getUTCDay();
    expect([...cal.workdays].map((d) => [d, weekday(d)])).toEqual([
      ['2026-01-04', 0],
      ['2026-02-14', 6],
      ['2026-02-28', 6],
      ['2026-05-09', 6],
      ['2026-09-20', 0],
      ['2026-10-10', 6],
    ]);
  });
});

describe('Spring Festival 2026', () => {
  it('knows the adjusted Saturdays and the holiday weekdays', () => {
    expect(isWorkingDay(cal, '2026-02-14')).toBe(true); // 周六上班
    expect(isWorkingDay(cal, '2026-02-16')).toBe(false); // 周一, 除夕
    expect(isWorkingDay(cal, '2026-02-23')).toBe(false); // 周一, 正月初七
    expect(isWorkingDay(cal, '2026-02-24')).toBe(true);
    expect(isWorkingDay(cal, '2026-02-28')).toBe(true); // 周六上班
    expect(isWorkingDay(cal, '2026-03-01')).toBe(false); // an ordinary Sunday
  });

  it.each([
    // [start, n, expected]
    ['2026-02-12', 3, '2026-02-24'], // Fri 13, Sat 14 (上班), then Tue 24 after the nine days off
    ['2026-02-13', 3, '2026-02-25'], // Sat 14, Tue 24, Wed 25
    ['2026-02-11', 5, '2026-02-25'], // Thu 12, Fri 13, Sat 14, Tue 24, Wed 25
    ['2026-02-26', 2, '2026-02-28'], // Fri 27, Sat 28 (上班)
    ['2026-02-18', 1, '2026-02-24'], // from inside the holiday
    ['2026-02-12', 0, '2026-02-12'],
  ] as const)('%s + %i working days = %s', (start, n, expected) => {
    expect(addWorkingDays(cal, start, n)).toBe(expected);
  });

  it('differs from Monday-to-Friday counting, which would say 17 February', () => {
    expect(addWorkingDays(weekdaysOnly, '2026-02-12', 3)).toBe('2026-02-17');
  });

  it('counts the working days between two days', () => {
    // 14, 24, 25, 26, 27, 28
    expect(workingDaysAfter(cal, '2026-02-13', '2026-02-28')).toBe(6);
    expect(workingDaysAfter(cal, '2026-02-14', '2026-02-23')).toBe(0);
    expect(workingDaysAfter(cal, '2026-02-28', '2026-02-13')).toBe(0);
  });

  it('a 3-working-day deadline started 12 February is overdue from 25 February, not before', () => {
    expect(overdueWorkingDays(cal, '2026-02-12', 3, '2026-02-23')).toBe(0);
    expect(overdueWorkingDays(cal, '2026-02-12', 3, '2026-02-24')).toBe(0);
    expect(overdueWorkingDays(cal, '2026-02-12', 3, '2026-02-25')).toBe(1);
    expect(overdueWorkingDays(cal, '2026-02-12', 3, '2026-02-28')).toBe(4);
  });

  it('finds the latest start already overdue on a day', () => {
    expect(latestOverdueStart(cal, 3, '2026-02-25')).toBe('2026-02-12');
    // On the holiday Monday the last working day was Sat 14: a start on Tue 10 (deadline Fri 13) is late.
    expect(latestOverdueStart(cal, 3, '2026-02-16')).toBe('2026-02-10');
  });
});

describe('Mid-Autumn and National Day 2026', () => {
  it('knows the adjusted Sunday 20 September and Saturday 10 October', () => {
    expect(isWorkingDay(cal, '2026-09-20')).toBe(true);
    expect(isWorkingDay(cal, '2026-09-25')).toBe(false); // 周五, 中秋节
    expect(isWorkingDay(cal, '2026-10-01')).toBe(false);
    expect(isWorkingDay(cal, '2026-10-07')).toBe(false); // 周三
    expect(isWorkingDay(cal, '2026-10-10')).toBe(true);
  });

  it.each([
    ['2026-09-18', 1, '2026-09-20'], // Sat 19 off, Sun 20 上班
    ['2026-09-29', 3, '2026-10-09'], // Wed 30, Thu 8, Fri 9
    ['2026-09-30', 3, '2026-10-10'], // Thu 8, Fri 9, Sat 10 (上班)
    ['2026-09-24', 5, '2026-10-09'], // Mon 28, Tue 29, Wed 30, Thu 8, Fri 9: an objection's 5 days
  ] as const)('%s + %i working days = %s', (start, n, expected) => {
    expect(addWorkingDays(cal, start, n)).toBe(expected);
  });

  it('a 5-working-day objection opened 24 September is overdue on 10 October (a Saturday that is a working day)', () => {
    expect(overdueWorkingDays(cal, '2026-09-24', 5, '2026-10-09')).toBe(0);
    expect(overdueWorkingDays(cal, '2026-09-24', 5, '2026-10-10')).toBe(1);
    expect(overdueWorkingDays(cal, '2026-09-24', 5, '2026-10-11')).toBe(1); // Sunday: still 1
    expect(overdueWorkingDays(cal, '2026-09-24', 5, '2026-10-12')).toBe(2);
  });
});

describe('the year boundary and unknown years', () => {
  it('New Year 2026: the first working day after 31 December 2025 is Sunday 4 January', () => {
    expect(addWorkingDays(cal, '2025-12-31', 1)).toBe('2026-01-04');
  });

  it('names the years without an arrangement a span touches', () => {
    expect(yearsWithoutArrangement(cal, '2026-12-01', '2027-01-10')).toEqual([2027]);
    expect(yearsWithoutArrangement(cal, '2026-01-01', '2026-12-31')).toEqual([]);
  });

  it('counts a year without an arrangement Monday to Friday', () => {
    // 2027-01-01 is a Friday; with no notice known it counts as a working day.
    expect(addWorkingDays(cal, '2026-12-31', 1)).toBe('2027-01-01');
  });
});

describe('calendar config', () => {
  it('an operator year extends the shipped years, and replaces a shipped year whole', () => {
    const c = calendarOf({
      calendar: {
        shipped: true,
        years: {
          '2027': { holidays: ['2027-01-01'], workdays: [], source: 'operator' },
          '2026': { holidays: ['2026-02-16'], workdays: [] },
        },
      },
    });
    expect(isWorkingDay(c, '2027-01-01')).toBe(false);
    expect(isWorkingDay(c, '2026-02-14')).toBe(false); // the shipped 2026 is gone: an ordinary Saturday
    expect(isWorkingDay(c, '2026-02-17')).toBe(true);
    expect(c.sources.get(2027)).toBe('operator');
  });

  it('shipped: false leaves only the operator years', () => {
    expect([...calendarOf({ calendar: { shipped: false, years: {} } }).years]).toEqual([]);
  });

  it('refuses a day outside its year and a day both off and on', () => {
    expect(() =>
      calendarOf({
        calendar: { shipped: false, years: { '2027': { holidays: ['2026-01-01'], workdays: [] } } },
      }),
    ).toThrow(/calendar\.years\.2027\.holidays: expected days of 2027 as YYYY-MM-DD, got `2026-01-01`/);
    expect(() =>
      calendarOf({
        calendar: {
          shipped: false,
          years: { '2027': { holidays: ['2027-02-06'], workdays: ['2027-02-06'] } },
        },
      }),
    ).toThrow(/2027-02-06.*both as a holiday and as a working day/);
  });

  it('refuses a working day on a weekday, which would change no count', () => {
    expect(() =>
      calendarOf({
        calendar: { shipped: false, years: { '2027': { holidays: [], workdays: ['2027-02-08'] } } },
      }),
    ).toThrow(/calendar\.years\.2027\.workdays: `2027-02-08` is a Monday, a working day already/);
  });

  it('takes the time zone from lifecycle.timeZone', () => {
    expect(calendarOf({}).timeZone).toBe('Asia/Shanghai');
  });
});

describe('startOfLocalDay', () => {
  it('is 16:00 UTC the day before in Beijing', () => {
    expect(startOfLocalDay('2026-02-14', 'Asia/Shanghai').toISOString()).toBe('2026-02-13T16:00:00.000Z');
  });

  it('follows a daylight-saving change (Berlin, 29 March 2026 starts at 00:00 CET)', () => {
    expect(startOfLocalDay('2026-03-29', 'Europe/Berlin').toISOString()).toBe('2026-03-28T23:00:00.000Z');
    expect(startOfLocalDay('2026-03-30', 'Europe/Berlin').toISOString()).toBe('2026-03-29T22:00:00.000Z');
  });
});
