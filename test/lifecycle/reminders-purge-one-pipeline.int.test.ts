/**
 * The contacts of licenses no longer `valid` are deleted by every tick (docs/lifecycle.md,
 * Reminders): personal data is kept no longer than a reminder may need it. A tick of some
 * pipelines (`lifecycle run --pipeline P`) whose license types have no reminders configured
 * returned before the purge, so a deployment that ticks each pipeline on its own kept the
 * contacts of every revoked or expired license of such a pipeline for ever.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sendDueReminders } from '../../pipelines/lifecycle/reminders.js';
import { Runtime } from '../../pipelines/runtime.js';
import { BACKENDS } from '../ledger/backends.js';
import { type ReminderWorkspace, reminderWorkspace } from './reminders-fixture.js';

describe.each(BACKENDS)('a tick of a pipeline without reminders ($name)', (backend) => {
  let ws: ReminderWorkspace;

  beforeAll(async () => {
    ws = await reminderWorkspace({ backend });
  });
  afterAll(async () => {
    await ws?.close();
  });

  it('deletes the contacts of its licenses no longer valid, and keeps the valid ones', async () => {
    await ws.commit(1, '2031-03-05', { phone: '13912340101' });
    await ws.commit(2, '2031-03-05', { phone: '13912340102' }, undefined, ws.pipeline, 'revoked');
    await ws.commit(3, '2031-03-05', { phone: '13912340103' }, undefined, ws.pipeline, 'cancelled');
    const ids = [1, 2, 3].map((n) => ws.licenseId(n));
    expect([...(await ws.ledger.reminders.contacts(ids)).keys()].sort()).toEqual([...ids].sort());

    const tick = new Runtime(ws.remindersOff(), ws.rt.logger);
    try {
      const summary = await sendDueReminders(tick, { today: '2031-03-01', pipelines: [ws.pipeline] });
      expect(summary).toMatchObject({ due: 0, sent: 0, contactsPurged: 2 });
    } finally {
      await tick.close();
    }
    expect([...(await ws.ledger.reminders.contacts(ids)).keys()]).toEqual([ws.licenseId(1)]);
    expect(ws.sim.messages()).toEqual([]);
  });
});
