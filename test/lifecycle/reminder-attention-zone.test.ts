/**
 * The reminders line of `licbridge status` (reminderAttention) gave since when reminders stay
 * pending as ISO in UTC, while the status lines beside it give their times on the clock of
 * `lifecycle.timeZone` (core/zoned-time.ts): pending since 01:15 on 5 March in Beijing read
 * `2026-03-04T17:15:00.000Z`, eight hours off and the day before. It now reads as they do.
 */
import { describe, expect, it } from 'vitest';
import { reminderAttention } from '../../pipelines/lifecycle/reminder-list.js';

const stale = [{ target: 'sms', count: 3, oldest: new Date('2026-03-04T17:15:00.000Z') }];

describe('the reminders status line on the configured clock', () => {
  it('gives the oldest pending reminder in Asia/Shanghai, with the offset', () => {
    const [line] = reminderAttention(stale, 'Asia/Shanghai').map((a) => a.message);
    expect(line).toContain('3 pending at target sms since 2026-03-05 01:15 +08:00;');
    expect(line).not.toContain('T17:15');
  });

  it('follows another configured zone', () => {
    const [line] = reminderAttention(stale, 'Asia/Urumqi').map((a) => a.message);
    expect(line).toContain('since 2026-03-04 23:15 +06:00;');
  });
});
