/**
 * A reminder reaches its holder once per (license, version, threshold), and a failed send is tried
 * again once a day at most (migration 039), whatever happened to its row in between: closed as
 * `dropped` (reminders switched off, its notify target renamed) and made `pending` again the same
 * day, it keeps the day of its failed send and waits for the next day; one recorded `sent` is not
 * sent again; one the gateway took from a tick killed before it recorded the answer is sent again
 * under its first key, and the gateway replays its answer. On each ledger backend.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { NotifyTarget } from '../../adapters/platforms/notify/notify-target.js';
import { BACKENDS } from '../ledger/backends.js';
import { type ReminderWorkspace, reminderWorkspace } from './reminders-fixture.js';

describe.each(BACKENDS)('a reminder dropped and made pending again on one day ($name)', (backend) => {
  /** The fixture's notify target and gateway simulator, its ledger this backend's. */
  let ws: ReminderWorkspace;
  const commit = (n: number, validTo: string, phone: string) => ws.commit(n, validTo, { phone });
  /** Nothing listens on port 9: every send fails and is counted for the tick's day. */
  const down = () => ws.withGateway('http://127.0.0.1:9', 300);
  const rowOf = async (n: number) => (await ws.ledger.reminders.forLicenses([ws.licenseId(n)]))[0];

  beforeAll(async () => {
    ws = await reminderWorkspace({ backend });
  });
  afterAll(async () => {
    await ws?.close();
  });

  it('failed this morning, switched off and on again: sent the next day, not this afternoon', async () => {
    await commit(1, '2031-03-20', '13912350001');
    expect(await ws.tick(down(), '2031-03-01')).toMatchObject({ due: 1, sent: 0, failed: 1 });
    expect(await ws.tick(ws.remindersOff(), '2031-03-01')).toMatchObject({ dropped: 1, sent: 0 });
    // On again the same day: the reminder is due again, and its send failed today already.
    expect(await ws.tick(ws.config, '2031-03-01')).toMatchObject({ due: 1, sent: 0, failed: 0, deferred: 1 });
    expect(ws.messagesOf(1)).toEqual([]);
    expect(await rowOf(1)).toMatchObject({ state: 'pending', attempts: 1, lastAttemptDay: '2031-03-01' });
    // And a later tick of that day, with the row pending now, leaves it too.
    expect(await ws.tick(ws.config, '2031-03-01')).toMatchObject({ due: 0, sent: 0, deferred: 1 });

    expect(await ws.tick(ws.config, '2031-03-02')).toMatchObject({ sent: 1, deferred: 0 });
    expect(await ws.tick(ws.config, '2031-03-02')).toMatchObject({ due: 0, sent: 0 });
    expect(ws.messagesOf(1)).toEqual([{ threshold: 30, daysLeft: 18 }]);
  });

  it('failed this morning, its target renamed this afternoon: sent through the new name the next day', async () => {
    await commit(2, '2032-03-20', '13912350002');
    expect(await ws.tick(down(), '2032-03-01')).toMatchObject({ failed: 1 });
    // Closed `target-changed` and written again for the target named now, in one tick.
    expect(await ws.tick(ws.renamedTarget(), '2032-03-01')).toMatchObject({
      dropped: 1,
      sent: 0,
      deferred: 1,
    });
    expect(ws.messagesOf(2)).toEqual([]);
    expect(await ws.tick(ws.renamedTarget(), '2032-03-02')).toMatchObject({ sent: 1 });
    expect(ws.messagesOf(2)).toEqual([{ threshold: 30, daysLeft: 18 }]);
    expect(await rowOf(2)).toMatchObject({ state: 'sent', target: 'gateway-b', keyTarget: 'holder-sms' });
  });

  it('sent, then switched off and on again the same day: not sent again', async () => {
    await commit(3, '2033-03-20', '13912350003');
    expect(await ws.tick(ws.config, '2033-03-01')).toMatchObject({ due: 1, sent: 1 });
    expect(await ws.tick(ws.remindersOff(), '2033-03-01')).toMatchObject({ dropped: 0 });
    expect(await ws.tick(ws.renamedTarget(), '2033-03-01')).toMatchObject({ due: 0, sent: 0 });
    expect(await ws.tick(ws.config, '2033-03-01')).toMatchObject({ due: 0, sent: 0 });
    expect(ws.messagesOf(3)).toEqual([{ threshold: 30, daysLeft: 19 }]);
  });

  it('taken by the gateway from a tick killed before it recorded the answer: replayed, not sent twice', async () => {
    await commit(4, '2034-03-20', '13912350004');
    // The killed tick wrote the row pending and the gateway took its message; nothing more.
    const [row] = await ws.ledger.reminders.open([
      {
        licenseId: ws.licenseId(4),
        version: 1,
        pipeline: ws.pipeline,
        target: 'holder-sms',
        threshold: 30,
        validTo: '2034-03-20',
        daysLeft: 19,
        dueDay: '2034-03-01',
      },
    ]);
    if (!row) throw new Error('expected the pending row');
    const target = ws.config.targets['holder-sms'];
    if (target?.kind !== 'notify') throw new Error('expected the notify target');
    const gateway = new NotifyTarget('holder-sms', target);
    try {
      expect(
        await gateway.send({
          key: row.key,
          recipient: '13912350004',
          params: {
            licenseType: '食品经营许可证',
            number: ws.number(4),
            issuer: 'x',
            validTo: '2034-03-20',
            daysLeft: 19,
          },
        }),
      ).toMatchObject({ state: 'sent', replayed: false });
    } finally {
      await gateway.close();
    }
    // Switched off and on again the same day: sent again under its first key, and the gateway
    // answers from its memory.
    expect(await ws.tick(ws.remindersOff(), '2034-03-01')).toMatchObject({ dropped: 1 });
    expect(await ws.tick(ws.config, '2034-03-01')).toMatchObject({ due: 1, sent: 1, replayed: 1 });
    expect(ws.messagesOf(4)).toHaveLength(1);
    expect(await rowOf(4)).toMatchObject({ state: 'sent' });
  });
});
