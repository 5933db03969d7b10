/**
 * The deadlines `licbridge status` judges name every year a running clock is counted through that
 * the calendar holds no arrangement for — not only the current year. licbridge ships 2026 only, so
 * a clock started late in December 2026 whose deadline falls in 2027 counts 2027 Monday to Friday,
 * and status must say so. Days worked out by hand (Beijing):
 *   objection, 5 working days, opened Mon 28 Dec 2026: Tue 29, Wed 30, Thu 31, then Fri 1 and
 *     Mon 4 Jan 2027 → due in 2027; opened Fri 18 Dec: Mon 21 … Fri 25 Dec → due in 2026;
 *   change, 3 working days, read Mon 28 Dec: Tue 29, Wed 30, Thu 31 → due in 2026; read Tue 29 Dec:
 *     Wed 30, Thu 31, Fri 1 Jan 2027 → due in 2027.
 */
import { describe, expect, it } from 'vitest';
import { earliestStartReaching } from '../../pipelines/lifecycle/calendar.js';
import { calendarOf } from '../../pipelines/lifecycle/calendar-config.js';
import { type RunningClocks, yearsCountedWithout } from '../../pipelines/lifecycle/deadlines.js';

const cal = calendarOf({});
/** 10:00 Beijing on `day`. */
const at = (day: string) => new Date(`${day}T02:00:00.000Z`);

/** Clocks started at these instants and still running, as the ledger counts them. */
function clocks(...starts: Date[]): RunningClocks {
  return async (before) => {
    const earlier = starts.filter((s) => s < before);
    const oldest = earlier.reduce<Date | null>((o, s) => (o === null || s < o ? s : o), null);
    return { count: earlier.length, oldest };
  };
}

describe('years a running deadline is counted through without an arrangement', () => {
  it('an objection opened on 28 December runs into 2027: named, though today is in 2026', async () => {
    expect(await yearsCountedWithout(cal, 5, '2026-12-29', clocks(at('2026-12-28')))).toEqual([2027]);
  });

  it('an objection due within 2026 names nothing, overdue or not, even beside the year end', async () => {
    expect(await yearsCountedWithout(cal, 5, '2026-12-21', clocks(at('2026-12-18')))).toEqual([]);
    expect(await yearsCountedWithout(cal, 5, '2026-12-30', clocks(at('2026-12-01')))).toEqual([]);
  });

  it('a change read on 28 December is due on the 31st; one read on the 29th runs into 2027', async () => {
    expect(await yearsCountedWithout(cal, 3, '2026-12-29', clocks(at('2026-12-28')))).toEqual([]);
    expect(
      await yearsCountedWithout(cal, 3, '2026-12-29', clocks(at('2026-12-28'), at('2026-12-29'))),
    ).toEqual([2027]);
  });

  it('a clock still running from a year before the calendar starts names that year', async () => {
    expect(await yearsCountedWithout(cal, 5, '2026-01-05', clocks(at('2025-12-30')))).toEqual([2025]);
  });

  it('no running clock, or the next year given in the config: nothing', async () => {
    expect(await yearsCountedWithout(cal, 5, '2026-12-29', clocks())).toEqual([]);
    const with2027 = calendarOf({
      calendar: {
        shipped: true,
        years: { '2027': { source: 'test', holidays: ['2027-01-01'], workdays: [] } },
      },
    });
    expect(await yearsCountedWithout(with2027, 5, '2026-12-29', clocks(at('2026-12-28')))).toEqual([]);
  });

  it('with the overdue clocks already counted, no count of every clock away from a year the calendar lacks', async () => {
    // Status and each /metrics scrape judge the deadlines, and a count of changes reads every
    // version of the pipeline: the years come from the overdue count the caller already made.
    let counts = 0;
    const counted =
      (running: RunningClocks): RunningClocks =>
      (before) => {
        counts += 1;
        return running(before);
      };
    const mayRuns = clocks(at('2026-05-04'), at('2026-06-09'));
    expect(
      await yearsCountedWithout(cal, 3, '2026-06-10', counted(mayRuns), {
        count: 1,
        oldest: at('2026-05-04'),
      }),
    ).toEqual([]);
    expect(
      await yearsCountedWithout(cal, 3, '2026-06-10', counted(clocks(at('2026-06-09'))), {
        count: 0,
        oldest: null,
      }),
    ).toEqual([]);
    // An overdue clock from a year before the calendar starts names that year, without a count.
    expect(
      await yearsCountedWithout(cal, 5, '2026-01-05', counted(clocks(at('2025-12-22'))), {
        count: 1,
        oldest: at('2025-12-22'),
      }),
    ).toEqual([2025]);
    expect(counts).toBe(0);
    // None overdue early in January: a clock started in December may still run, so it is counted.
    expect(
      await yearsCountedWithout(cal, 5, '2026-01-06', counted(clocks(at('2025-12-30'))), {
        count: 0,
        oldest: null,
      }),
    ).toEqual([2025]);
    expect(counts).toBe(1);
    // Near the year end the later year is still found, counting only there.
    expect(
      await yearsCountedWithout(cal, 5, '2026-12-29', counted(clocks(at('2026-12-28'))), {
        count: 0,
        oldest: null,
      }),
    ).toEqual([2027]);
  });

  it('the year a clock started in is judged in the deployment time zone, not UTC', async () => {
    // 15:30 UTC on 30 Dec 2025 is 23:30 that day in Beijing: counted from 31 Dec, 2025 is named.
    // 16:30 UTC is 00:30 on 31 Dec in Beijing: counted from 1 Jan 2026, 2025 is not, though the UTC
    // day is the 30th. Neither is overdue on Mon 5 Jan (31 Dec, the Sunday workday 4 Jan, 5 Jan).
    const none = { count: 0, oldest: null };
    const beforeMidnight = new Date('2025-12-30T15:30:00.000Z');
    const afterMidnight = new Date('2025-12-30T16:30:00.000Z');
    expect(await yearsCountedWithout(cal, 5, '2026-01-05', clocks(beforeMidnight), none)).toEqual([2025]);
    expect(await yearsCountedWithout(cal, 5, '2026-01-05', clocks(afterMidnight), none)).toEqual([]);
    // A change read at 23:30 Beijing on 31 Dec 2026 (15:30 UTC), judged that day: due Tue 5 Jan
    // 2027 (1, 4, 5 Jan), so 2027 is named the evening before it is today's year.
    expect(
      await yearsCountedWithout(cal, 3, '2026-12-31', clocks(new Date('2026-12-31T15:30:00.000Z')), none),
    ).toEqual([2027]);
  });

  it('through a year the calendar lacks, the current year alone asks no count of every clock', async () => {
    // licbridge ships 2026 only: run on through 2027, every day of the year lies in a year the
    // calendar lacks. The deadlines name the current year whatever runs (collectDeadlines), so
    // only an earlier year (early January) or a later one (late December) is worth a count of
    // every running change on each status and /metrics scrape.
    let counts = 0;
    const counted = (before: Date) => {
      counts += 1;
      return clocks(at('2027-06-08'))(before);
    };
    const none = { count: 0, oldest: null };
    expect(await yearsCountedWithout(cal, 3, '2027-06-10', counted, none)).toEqual([]);
    expect(counts).toBe(0);
    // Early in January 2028 a clock may still run from 2027, a year before today's: counted.
    expect(await yearsCountedWithout(cal, 5, '2028-01-04', clocks(at('2027-12-30')), none)).toEqual([
      2027, 2028,
    ]);
  });

  it('the earliest start whose deadline reaches a day', () => {
    // 5 working days: a start on Thu 24 Dec is due Thu 31 Dec; Fri 25 Dec is due Fri 1 Jan 2027.
    expect(earliestStartReaching(cal, 5, '2027-01-01', '2026-12-29')).toBe('2026-12-25');
    expect(earliestStartReaching(cal, 5, '2027-01-01', '2026-12-20')).toBeUndefined();
  });
});
