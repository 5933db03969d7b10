/**
 * `reminders.key_target` (migration 027) on each ledger backend: a reminder keeps the target it was
 * first written pending for when it is written again for another target, and a reminder first
 * written for a target is keyed on that target.
 */
import { describe, expect, it } from 'vitest';
import { openLedger } from '../../ledger/open-ledger.js';
import type { NewReminder } from '../../ledger/reminders.js';
import { BACKENDS, quietLogger } from '../ledger/backends.js';

const reminder = (licenseId: string, target: string): NewReminder => ({
  licenseId,
  version: 1,
  pipeline: 'food',
  target,
  threshold: 30,
  validTo: '2026-03-31',
  daysLeft: 30,
  dueDay: '2026-03-01',
});

describe.each(BACKENDS)('reminder key target on $name', (backend) => {
  it('stays the first target when a dropped reminder is written again for another', async () => {
    const database = await backend.create();
    const ledger = await openLedger(database.url, { logger: quietLogger });
    try {
      const store = ledger.reminders;
      const [first] = await store.open([reminder('L1', 'sms-a'), reminder('L2', 'sms-b')]);
      expect(first).toMatchObject({ target: 'sms-a', keyTarget: 'sms-a', state: 'pending' });
      if (!first) throw new Error('expected the row');
      await store.record(
        [{ key: first.key, state: 'dropped', reason: 'target-changed', actor: 'target:sms-a', digest: 'd' }],
        'tick:test',
      );
      const [again] = await store.open([reminder('L1', 'sms-renamed')]);
      expect(again).toMatchObject({ target: 'sms-renamed', keyTarget: 'sms-a', state: 'pending' });
      const rows = await store.forLicenses(['L1', 'L2']);
      expect(rows.map((r) => [r.licenseId, r.target, r.keyTarget]).sort()).toEqual([
        ['L1', 'sms-renamed', 'sms-a'],
        ['L2', 'sms-b', 'sms-b'],
      ]);
    } finally {
      await ledger.close();
      await database.dispose();
    }
  });
});
