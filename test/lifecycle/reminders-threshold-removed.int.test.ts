/**
 * A threshold taken out of `lifecycle.reminders` after its reminder went out (or while it was
 * still pending, its gateway down): the holder hears no reminder twice. The reminder sent is not
 * sent again, and the next threshold left in the config is sent once, when it is reached.
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

/** A tick a day for `n` days from `from`. */
async function ticks(
  ws: ReminderWorkspace,
  config: Readonly<Config>,
  from: string,
  n: number,
): Promise<void> {
  for (let i = 0; i < n; i++) await ws.tick(config, addDays(from, i));
}

describe('a reminder threshold removed from the config', () => {
  let ws: ReminderWorkspace;
  beforeEach(async () => {
    ws = await reminderWorkspace();
  });
  afterEach(async () => ws.close());

  it('does not send the reminder already sent for it again', async () => {
    await ws.commit(1, addDays(D, 30), { phone: '13912340001' });
    await ticks(ws, ws.config, D, 3);
    expect(ws.messagesOf(1)).toEqual([{ threshold: 30, daysLeft: 30 }]);
    await ticks(ws, withThresholds(ws.config, [7]), addDays(D, 3), 28);
    expect(ws.messagesOf(1)).toEqual([
      { threshold: 30, daysLeft: 30 },
      { threshold: 7, daysLeft: 7 },
    ]);
  });

  it('sends a reminder still pending for it once, and the next threshold once', async () => {
    await ws.commit(1, addDays(D, 20), { phone: '13912340001' });
    await ws.tick(ws.withGateway('http://127.0.0.1:9'), D);
    await ticks(ws, withThresholds(ws.config, [7]), addDays(D, 1), 20);
    const thresholds = ws.messagesOf(1).map((m) => m.threshold);
    expect(new Set(thresholds).size).toBe(thresholds.length);
    expect(thresholds.filter((t) => t === 7)).toHaveLength(1);
    const rows = await ws.ledger.reminders.forLicenses([ws.licenseId(1)]);
    expect(rows.every((r) => r.state === 'sent' || r.state === 'dropped')).toBe(true);
  });
});
