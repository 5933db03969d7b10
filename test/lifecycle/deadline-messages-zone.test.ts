/**
 * The deadline sentences of `licbridge status` (deadlineMessages) give when the oldest late change
 * was read and the oldest late objection opened on the clock of `lifecycle.timeZone`, as status
 * gives its other times (core/zoned-time.ts). Printed as ISO in UTC, a change read at 04:30 on
 * 2 March in Beijing read `2026-03-01T20:30:00.000Z`: eight hours off, and the day before, for a
 * person counting working days from it. `--json` keeps UTC ISO.
 */
import { describe, expect, it } from 'vitest';
import { type DeadlineStatus, deadlineMessages } from '../../pipelines/lifecycle/deadlines.js';

const late = (timeZone: string): DeadlineStatus => ({
  today: '2026-03-10',
  timeZone,
  backlog: {
    workingDays: 3,
    overdue: [
      { pipeline: 'food', target: 'province', count: 2, oldest: '2026-03-01T20:30:00.000Z', overdueBy: 3 },
    ],
  },
  objections: { workingDays: 5, open: 1, overdue: 1, oldest: '2026-02-26T17:15:00.000Z', overdueBy: 2 },
  yearsWithoutArrangement: [],
  expiry: { behind: [] },
});

describe('the deadline sentences on the configured clock', () => {
  it('give the oldest change and objection in Asia/Shanghai, with the offset', () => {
    const [backlog, objection] = deadlineMessages(late('Asia/Shanghai')).map((m) => m.message);
    expect(backlog).toContain('the oldest, read 2026-03-02 04:30 +08:00, is overdue by 3 working day(s)');
    expect(objection).toContain('the oldest, opened 2026-02-27 01:15 +08:00, is overdue by 2 working day(s)');
  });

  it('follow another configured zone', () => {
    const [backlog, objection] = deadlineMessages(late('Asia/Urumqi')).map((m) => m.message);
    expect(backlog).toContain('the oldest, read 2026-03-02 02:30 +06:00,');
    expect(objection).toContain('the oldest, opened 2026-02-26 23:15 +06:00,');
  });
});
