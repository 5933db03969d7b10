/**
 * An objection opened late in December is due in the next year, whose holiday arrangement the
 * calendar may not hold yet (licbridge ships 2026 only). Its due day is then counted Monday to
 * Friday — and says so, naming the year, instead of passing the guess off as the rule's day.
 * Opened Mon 28 Dec 2026, 10:00 Beijing; 5 working days: Tue 29, Wed 30, Thu 31 Dec, then
 * Fri 1 Jan and Mon 4 Jan 2027 counted Monday to Friday (1 January is New Year's Day in every
 * arrangement, so the guess is a day early).
 */
import { describe, expect, it } from 'vitest';
import { objectionDue } from '../../pipelines/lifecycle/objections.js';

const deadlines = { backlogWorkingDays: 3, objectionWorkingDays: 5 };
const openedAt = new Date('2026-12-28T02:00:00.000Z');

describe('objection due day across a year end', () => {
  it('names the year counted Monday to Friday when the next year has no arrangement', () => {
    expect(objectionDue({ deadlines }, openedAt)).toEqual({
      dueOn: '2027-01-04',
      yearsWithoutArrangement: [2027],
    });
  });

  it('names nothing when the whole way lies in known years', () => {
    // Opened Tue 1 Dec 2026: due Tue 8 Dec, all in 2026.
    expect(objectionDue({ deadlines }, new Date('2026-12-01T02:00:00.000Z'))).toEqual({
      dueOn: '2026-12-08',
      yearsWithoutArrangement: [],
    });
  });

  it('counts the added year once the operator gives it', () => {
    const calendar = {
      shipped: true,
      years: {
        '2027': { source: 'test', holidays: ['2027-01-01', '2027-01-02', '2027-01-03'], workdays: [] },
      },
    };
    expect(objectionDue({ deadlines, calendar }, openedAt)).toEqual({
      dueOn: '2027-01-05',
      yearsWithoutArrangement: [],
    });
  });
});
