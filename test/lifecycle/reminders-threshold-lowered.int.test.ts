/**
 * A reminder threshold lowered in `lifecycle.reminders` (30 days made 10) from the next day on: the
 * new threshold is a reminder of its own, sent once when it is reached, to a holder the old one
 * reached already too; the old one is not sent again. A reminder of the old threshold still pending
 * (its gateway down) goes out once, with the days left when it goes, before the new threshold's.
 * No code changed: this pins what the tick does (docs/lifecycle.md, thresholds changed).
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { Config } from '../../config/types.js';
import { addDays } from '../../core/local-date.js';
import { type ReminderWorkspace, reminderWorkspace, TYPE } from './reminders-fixture.js';

const D = '2026-03-01';

/** The workspace's config with `thresholds` for its license type. */
function withThresholds(c: Readonly<Config>, thresholds: number[]): Readonly<Config> {
  const type = c.lifecycle?.reminders?.[TYPE];
  if (!type) throw new Error('expected reminders for the type');
  return {
    ...c,
    lifecycle: { ...c.lifecycle, reminders: { [TYPE]: { ...type, thresholds } } },
  } as Readonly<Config>;
}

describe('a reminder threshold lowered the next day', () => {
  let ws: ReminderWorkspace;
  beforeEach(async () => {
    ws = await reminderWorkspace();
  });
  afterEach(async () => ws.close());

  it('sends the lowered threshold once when reached, and the one sent before never again', async () => {
    await ws.commit(1, addDays(D, 30), { phone: '13912340001' });
    await ws.tick(ws.config, D);
    const lowered = withThresholds(ws.config, [7, 10]);
    for (let i = 1; i <= 30; i++) await ws.tick(lowered, addDays(D, i));
    expect(ws.messagesOf(1)).toEqual([
      { threshold: 30, daysLeft: 30 },
      { threshold: 10, daysLeft: 10 },
      { threshold: 7, daysLeft: 7 },
    ]);
  });

  it('sends a reminder of the old threshold still pending once, then the lowered one', async () => {
    await ws.commit(1, addDays(D, 20), { phone: '13912340001' });
    await ws.tick(ws.withGateway('http://127.0.0.1:9'), D);
    const lowered = withThresholds(ws.config, [7, 10]);
    for (let i = 1; i <= 20; i++) await ws.tick(lowered, addDays(D, i));
    expect(ws.messagesOf(1)).toEqual([
      { threshold: 30, daysLeft: 19 },
      { threshold: 10, daysLeft: 10 },
      { threshold: 7, daysLeft: 7 },
    ]);
    const rows = await ws.ledger.reminders.forLicenses([ws.licenseId(1)]);
    expect(rows.map((r) => [r.threshold, r.state]).sort()).toEqual([
      [10, 'sent'],
      [30, 'sent'],
      [7, 'sent'],
    ]);
  });
});
