/**
 * A tick that finds a pending reminder superseded drops only what it can claim: a reminder another
 * tick holds is that tick's send in flight (a tick of the day before, stalled past midnight and
 * handed to another worker). Closing it would end that tick's lease: a tick of that day opening the
 * reminder again (same key) would find it free, and send it while the first send is still out —
 * two messages at once under one key, left to the gateway to deduplicate. Left pending, the
 * holder's answer is recorded as it comes, and the drop waits for the next tick if that send fails.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sendDueReminders } from '../../pipelines/lifecycle/reminders.js';
import { Runtime } from '../../pipelines/runtime.js';
import { quietLogger } from '../ledger/backends.js';
import { type ReminderWorkspace, reminderWorkspace } from './reminders-fixture.js';

/** The day the 30-day reminder was due (19 days left), and a later one when the 7-day one is (5 left). */
const EARLIER = '2026-03-01';
const LATER = '2026-03-15';
const LEASE = 600_000;

describe('a superseded reminder another tick holds', () => {
  let ws: ReminderWorkspace;
  const runtimes: Runtime[] = [];
  const reminder30 = () => ({
    licenseId: ws.licenseId(1),
    version: 1,
    pipeline: ws.pipeline,
    target: 'holder-sms',
    threshold: 30,
    validTo: '2026-03-20',
    daysLeft: 19,
    dueDay: EARLIER,
  });

  beforeAll(async () => {
    ws = await reminderWorkspace();
    await ws.commit(1, '2026-03-20', { phone: '13912340001' });
  });

  afterAll(async () => {
    for (const rt of runtimes) await rt.close();
    await ws?.close();
  });

  it('is left to its holder: not dropped, its lease kept, sent once', async () => {
    // The earlier day's tick wrote the 30-day reminder and is sending it.
    const [row] = await ws.ledger.reminders.open([reminder30()]);
    const key = row?.key ?? '';
    expect((await ws.ledger.reminders.claim([key], 'tick:earlier', LEASE)).claimed).toEqual([key]);

    const rt = new Runtime(ws.config, quietLogger);
    runtimes.push(rt);
    const later = await sendDueReminders(rt, { today: LATER });
    // Not closed under the tick sending it; the 7-day reminder goes out, as it would have anyway.
    // The 30-day one is counted, as the other tick's: every reminder the tick read is in its summary.
    expect(later).toMatchObject({ dropped: 0, sent: 1, byOtherTick: 1 });
    const [kept] = (await ws.ledger.reminders.forLicenses([ws.licenseId(1)])).filter((r) => r.key === key);
    expect(kept?.state).toBe('pending');

    // The earlier day's tick handed to another worker writes its due reminder again (same key):
    // the row is still the first tick's, so this one does not send it beside that one.
    await ws.ledger.reminders.open([reminder30()]);
    const second = await ws.ledger.reminders.claim([key], 'tick:earlier-again', LEASE);
    expect(second.claimed).toEqual([]);
    expect(second.held.has(key)).toBe(true);

    // The first tick's answer is recorded as it comes: one `remind` audit, `sent`.
    await ws.ledger.reminders.record(
      [{ key, actor: 'target:holder-sms', digest: 'a'.repeat(64), state: 'sent', messageId: 'm-30' }],
      'tick:earlier',
    );
    const rows = await ws.ledger.reminders.forLicenses([ws.licenseId(1)]);
    expect(rows.map((r) => [r.threshold, r.state]).sort()).toEqual([
      [30, 'sent'],
      [7, 'sent'],
    ]);
  });
});
