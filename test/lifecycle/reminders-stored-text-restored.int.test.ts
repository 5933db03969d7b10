/**
 * A reminder whose license's stored text does not read is skipped (`stored-text`,
 * reminders-stored-text): nothing went out, as its number and names were not known. Once a person
 * restored the text, that reminder was never sent: a `skipped` row counted as the threshold
 * reached, so with thresholds [7, 30] a holder whose 30-day reminder was skipped heard nothing
 * until 7 days before, and with one threshold never. A skipped `stored-text` row now counts as
 * reached no more than a `dropped` one: the next tick writes it pending again under its key and
 * sends it once the text reads (skipped again, and said again, while it does not).
 */
import { describe, expect, it } from 'vitest';
import { addDays } from '../../core/local-date.js';
import { lifecycleToday } from '../../pipelines/lifecycle/settings.js';
import { BACKENDS } from '../ledger/backends.js';
import { realDayWorkspace } from './reminders-fixture.js';
import { editStoredText } from './stored-text-fixture.js';

for (const backend of BACKENDS) {
  describe(`a reminder skipped for a stored text restored since (${backend.name} ledger)`, () => {
    const ws = realDayWorkspace({ backend });

    it('is sent by the first tick after the text reads again, once', async () => {
      const today = lifecycleToday(ws.config)();
      await ws.commit(1, addDays(today, 20), { phone: '13912340001' });
      await ws.commit(2, addDays(today, 21), { phone: '13912340002' });
      const original = await editStoredText(ws, ws.licenseId(1), (text) => text.slice(0, 20));
      const row = async () =>
        (await ws.ledger.reminders.forLicenses([ws.licenseId(1)])).map((r) => [
          r.threshold,
          r.state,
          r.reason,
        ]);

      expect(await ws.tick(ws.config, today)).toMatchObject({ sent: 1, skipped: 1 });
      expect(await row()).toEqual([[30, 'skipped', 'stored-text']]);
      // Still broken the next day: skipped again, nothing sent.
      expect(await ws.tick(ws.config, addDays(today, 1))).toMatchObject({ sent: 0, skipped: 1 });
      expect(ws.messagesOf(1)).toEqual([]);

      await editStoredText(ws, ws.licenseId(1), () => original);
      expect(await ws.tick(ws.config, addDays(today, 2))).toMatchObject({ sent: 1, skipped: 0 });
      expect(ws.messagesOf(1)).toEqual([{ threshold: 30, daysLeft: 18 }]);
      expect(await row()).toEqual([[30, 'sent', null]]);
      // Sent: not again.
      expect(await ws.tick(ws.config, addDays(today, 3))).toMatchObject({ due: 0, sent: 0, skipped: 0 });
      expect(ws.messagesOf(1)).toHaveLength(1);
      expect(ws.messagesOf(2)).toHaveLength(1);
      expect((await ws.ledger.verifyAudit()).ok).toBe(true);
    });
  });
}
