/**
 * What `licbridge status` and `/metrics` are told of the deadlines on a day (collectDeadlines,
 * deadlineMessages): which changes and objections are late and by how many working days, which
 * pipelines' expiry tick is behind, and which years were counted Monday to Friday.
 *
 * The ledger here answers its four deadline questions from lists, as its queries do (versions read
 * before an instant and not accepted, open objections opened before an instant, `valid` licenses
 * whose validTo is before a day, the tick watermark): the days and cutoffs are what is under test.
 * The queries themselves have integration tests (deadline-metrics, deadlines-status).
 *
 * Days worked out by hand from the State Council General Office's notice on the 2026 holidays
 * (春节 2月15日至23日放假，2月14日（周六）、2月28日（周六）上班; 元旦 1月1日至3日放假，1月4日（周日）上班),
 * Beijing time, and Monday to Friday in years the calendar lacks (licbridge ships 2026 only).
 */
import { describe, expect, it } from 'vitest';
import type { Config } from '../../config/types.js';
import type { Ledger } from '../../ledger/ledger.js';
import {
  collectDeadlines,
  type DeadlineStatus,
  deadlineMessages,
} from '../../pipelines/lifecycle/deadlines.js';

/** 10:00 Beijing on `day`. */
const at = (day: string) => new Date(`${day}T02:00:00.000Z`);

interface Change {
  pipeline: string;
  target: string;
  read: Date;
}

interface LedgerData {
  /** Versions not yet accepted at their target. */
  changes?: Change[];
  /** When each open objection was opened. */
  objections?: Date[];
  /** `valid` licenses and their last valid day. */
  valid?: { pipeline: string; validTo: string }[];
  /** The last day each pipeline's tick finished. */
  ticks?: Record<string, string>;
}

function oldestOf(dates: Date[]): Date | null {
  return dates.reduce<Date | null>((o, d) => (o === null || d < o ? d : o), null);
}

function ledgerOf(data: LedgerData): Ledger {
  const ledger = {
    async overdueChanges(q: { pipeline: string; target: string; createdBefore: Date }) {
      const read = (data.changes ?? [])
        .filter((c) => c.pipeline === q.pipeline && c.target === q.target && c.read < q.createdBefore)
        .map((c) => c.read);
      return { pipeline: q.pipeline, target: q.target, count: read.length, oldest: oldestOf(read) };
    },
    async openObjectionsBefore(before: Date) {
      const opened = (data.objections ?? []).filter((o) => o < before);
      return { count: opened.length, oldest: oldestOf(opened) };
    },
    async countDueExpiries(pipeline: string, today: string) {
      return (data.valid ?? []).filter((l) => l.pipeline === pipeline && l.validTo < today).length;
    },
    async lifecycleWatermark(pipeline: string) {
      const day = data.ticks?.[pipeline];
      return day === undefined ? null : { pipeline, day, pendingDay: null, runId: 'r', expired: 0 };
    },
  };
  return ledger as unknown as Ledger;
}

/** Pipelines (each with its targets, `expiry: false` where said), 3 and 5 working days. */
function configOf(
  pipelines: Record<string, { targets: string[]; expiry?: false }>,
  calendar?: { shipped: boolean },
): Readonly<Config> {
  return {
    pipelines,
    deadlines: { backlogWorkingDays: 3, objectionWorkingDays: 5 },
    lifecycle: { timeZone: 'Asia/Shanghai' },
    ...(calendar ? { calendar } : {}),
  } as unknown as Readonly<Config>;
}

const judge = (config: Readonly<Config>, data: LedgerData, today: string) =>
  collectDeadlines(config, ledgerOf(data), { today });

describe('changes not accepted within 3 working days (art. 10)', () => {
  const config = configOf({ food: { targets: ['province', 'city'] } });
  // Read Thu 12 Feb: Fri 13, Sat 14 (上班), Tue 24 after the nine days off → due Tue 24 Feb.
  const data: LedgerData = { changes: [{ pipeline: 'food', target: 'province', read: at('2026-02-12') }] };

  it('a change is not overdue on its last working day', async () => {
    expect((await judge(config, data, '2026-02-24')).backlog).toEqual({ workingDays: 3, overdue: [] });
  });

  it('overdue by 1 the working day after, by 4 on the working Saturday 28 February', async () => {
    const late = { pipeline: 'food', target: 'province', count: 1, oldest: '2026-02-12T02:00:00.000Z' };
    expect((await judge(config, data, '2026-02-25')).backlog.overdue).toEqual([{ ...late, overdueBy: 1 }]);
    expect((await judge(config, data, '2026-02-28')).backlog.overdue).toEqual([{ ...late, overdueBy: 4 }]);
  });

  it('a change read in December 2025 and still not accepted in March names 2025, counted Monday to Friday', async () => {
    // Three targets, the oldest change at the middle one: the oldest of all is the one counted from.
    const three = configOf({ food: { targets: ['city', 'province', 'county'] } });
    const status = await judge(
      three,
      {
        changes: [
          { pipeline: 'food', target: 'city', read: at('2026-02-02') },
          { pipeline: 'food', target: 'province', read: at('2025-12-01') },
          { pipeline: 'food', target: 'county', read: at('2026-02-03') },
        ],
      },
      '2026-03-02',
    );
    expect(status.backlog.overdue.map((o) => [o.target, o.oldest])).toEqual([
      ['city', '2026-02-02T02:00:00.000Z'],
      ['province', '2025-12-01T02:00:00.000Z'],
      ['county', '2026-02-03T02:00:00.000Z'],
    ]);
    expect(status.yearsWithoutArrangement).toEqual([2025]);
  });

  it('changes still running from late December 2025 name 2025 in early January, from the oldest of them', async () => {
    // Read Tue 30 Dec 2025: Wed 31, then Sun 4 Jan (上班) and Mon 5 Jan → due 5 Jan, not yet late.
    const three = configOf({ food: { targets: ['city', 'province', 'county'] } });
    const status = await judge(
      three,
      {
        changes: [
          { pipeline: 'food', target: 'city', read: at('2025-12-31') },
          { pipeline: 'food', target: 'province', read: at('2025-12-30') },
          { pipeline: 'food', target: 'county', read: at('2026-01-02') },
        ],
      },
      '2026-01-05',
    );
    expect(status.backlog.overdue).toEqual([]);
    expect(status.yearsWithoutArrangement).toEqual([2025]);
  });

  it('a change read on 29 December 2026 is due in 2027, which the calendar lacks: named', async () => {
    // Wed 30, Thu 31 Dec, Fri 1 Jan 2027 (no arrangement: a weekday).
    const status = await judge(
      config,
      { changes: [{ pipeline: 'food', target: 'city', read: at('2026-12-29') }] },
      '2026-12-29',
    );
    expect(status.yearsWithoutArrangement).toEqual([2027]);
  });
});

describe('objections not resolved within 5 working days (art. 16)', () => {
  const config = configOf({ food: { targets: ['province'] } });
  // Opened Fri 13 Feb, the Friday before Spring Festival: Sat 14 (上班), Tue 24, Wed 25, Thu 26,
  // Fri 27 → due Fri 27 Feb; Sat 28 is a working Saturday.
  const data: LedgerData = { objections: [at('2026-02-13')] };

  it('an objection opened on the Friday before Spring Festival is due on 27 February', async () => {
    expect((await judge(config, data, '2026-02-27')).objections).toEqual({
      workingDays: 5,
      open: 1,
      overdue: 0,
      oldest: null,
      overdueBy: 0,
    });
  });

  it('and is overdue by 1 on the working Saturday after', async () => {
    expect((await judge(config, data, '2026-02-28')).objections).toEqual({
      workingDays: 5,
      open: 1,
      overdue: 1,
      oldest: '2026-02-13T02:00:00.000Z',
      overdueBy: 1,
    });
  });

  it('an objection opened on 28 December 2026 is due in 2027, which the calendar lacks: named', async () => {
    expect(
      (await judge(config, { objections: [at('2026-12-28')] }, '2026-12-29')).yearsWithoutArrangement,
    ).toEqual([2027]);
  });
});

describe('the years counted Monday to Friday', () => {
  it('the day judged in a year the calendar lacks, nothing running: that year', async () => {
    const status = await judge(configOf({ food: { targets: ['province'] } }), {}, '2027-03-01');
    expect(status.yearsWithoutArrangement).toEqual([2027]);
  });

  it('every such year once, in order, with no year in the calendar', async () => {
    // The current year 2026, 2025 from a change read in November 2025 and still not accepted,
    // 2027 from an objection opened on 28 December whose deadline falls there.
    const status = await judge(
      configOf({ food: { targets: ['province'] } }, { shipped: false }),
      {
        changes: [{ pipeline: 'food', target: 'province', read: at('2025-11-03') }],
        objections: [at('2026-12-28')],
      },
      '2026-12-29',
    );
    expect(status.yearsWithoutArrangement).toEqual([2025, 2026, 2027]);
  });
});

describe('the expiry tick behind', () => {
  // Judged Tue 10 Mar: a license whose last valid day was Sun 8 Mar should have been expired by
  // the tick of 9 Mar; one valid until 9 Mar has the tick of 10 Mar to come.
  const config = configOf({
    food: { targets: ['province'] },
    bakery: { targets: ['province'], expiry: false },
    herbs: { targets: ['province'] },
    tea: { targets: ['province'] },
  });
  const data: LedgerData = {
    valid: [
      { pipeline: 'food', validTo: '2026-03-08' },
      { pipeline: 'food', validTo: '2026-03-09' },
      { pipeline: 'bakery', validTo: '2026-03-01' },
      { pipeline: 'herbs', validTo: '2026-03-09' },
      { pipeline: 'tea', validTo: '2026-03-01' },
    ],
    ticks: { food: '2026-03-07', herbs: '2026-03-09' },
  };

  it('names the pipelines with a license past the day of grace, with their last tick', async () => {
    expect((await judge(config, data, '2026-03-10')).expiry.behind).toEqual([
      { pipeline: 'food', count: 1, lastTick: '2026-03-07' },
      { pipeline: 'tea', count: 1, lastTick: null },
    ]);
  });

  it('none behind: an empty list', async () => {
    expect(
      (await judge(config, { valid: [{ pipeline: 'food', validTo: '2026-03-09' }] }, '2026-03-10')).expiry,
    ).toEqual({ behind: [] });
  });
});

describe('the sentences status lists', () => {
  const none: DeadlineStatus = {
    today: '2026-03-10',
    timeZone: 'Asia/Shanghai',
    backlog: { workingDays: 3, overdue: [] },
    objections: { workingDays: 5, open: 2, overdue: 0, oldest: null, overdueBy: 0 },
    yearsWithoutArrangement: [],
    expiry: { behind: [] },
  };

  it('nothing late: nothing, open objections within their days included', () => {
    expect(deadlineMessages(none)).toEqual([]);
  });

  it('one each for a late change, a pipeline behind and the late objections', () => {
    const messages = deadlineMessages({
      ...none,
      backlog: {
        workingDays: 3,
        overdue: [
          {
            pipeline: 'food',
            target: 'province',
            count: 2,
            oldest: '2026-03-02T02:00:00.000Z',
            overdueBy: 3,
          },
        ],
      },
      objections: { workingDays: 5, open: 2, overdue: 1, oldest: '2026-02-13T02:00:00.000Z', overdueBy: 7 },
      expiry: {
        behind: [
          { pipeline: 'food', count: 4, lastTick: '2026-03-07' },
          { pipeline: 'tea', count: 1, lastTick: null },
        ],
      },
    });
    expect(messages.map((m) => m.kind)).toEqual([
      'backlog-overdue',
      'expiry-behind',
      'expiry-behind',
      'objection-overdue',
    ]);
    const [backlog, food, tea, objection] = messages.map((m) => m.message);
    expect(backlog).toContain(
      'pipeline food: 2 change(s) not accepted by province within 3 working days (rules art. 10); the oldest, read 2026-03-02 10:00 +08:00, is overdue by 3 working day(s)',
    );
    expect(food).toContain(
      'pipeline food: 4 license(s) ran out before 2026-03-09 and are still valid in the ledger and at the platforms; the lifecycle tick last finished for 2026-03-07:',
    );
    expect(tea).toContain('the lifecycle tick last finished for no day yet:');
    // A license the tick set aside (its stored text corrupt) stays behind whatever tick runs.
    expect(tea).toContain('`licbridge quarantine list --reason LB_STORED_TEXT` names them');
    expect(objection).toContain(
      'objections: 1 open past 5 working days (rules art. 16); the oldest, opened 2026-02-13 10:00 +08:00, is overdue by 7 working day(s)',
    );
  });
});
