/**
 * A reminder names its license by the number, type and issuer its stored text holds. A text that
 * reads but was altered since it was written (edited by hand: it no longer hashes to the content
 * hash its version records) was sent as it read: the holder was told of a license number the
 * issuer never issued, where the tick, the sign and deliver stages and reconcile repairs all refuse
 * such a text. Its reminder is now skipped (`stored-text`) and said in a warning, as for a text
 * that does not read; once the text is restored, the next tick sends it.
 */
import { describe, expect, it } from 'vitest';
import { addDays } from '../../core/local-date.js';
import { lifecycleToday } from '../../pipelines/lifecycle/settings.js';
import { BACKENDS } from '../ledger/backends.js';
import { realDayWorkspace } from './reminders-fixture.js';
import { editStoredText } from './stored-text-fixture.js';

for (const backend of BACKENDS) {
  describe(`a reminder of an altered stored license (${backend.name} ledger)`, () => {
    const ws = realDayWorkspace({ backend });

    it('is not sent as the text reads, and is sent once it is restored', async () => {
      const today = lifecycleToday(ws.config)();
      await ws.commit(1, addDays(today, 5), { phone: '13912340021' });
      await ws.commit(2, addDays(today, 6), { phone: '13912340022' });
      const altered = `${ws.number(1).slice(0, -1)}X`;
      const original = await editStoredText(ws, ws.licenseId(1), (text) => {
        const edited = text.replace(ws.number(1), altered);
        expect(edited).not.toBe(text);
        return edited;
      });
      expect(await ws.tick(ws.config, today)).toMatchObject({ sent: 1, skipped: 1 });
      const numbers = () => ws.sim.messages().map((m) => m.params.number);
      expect(numbers()).not.toContain(altered);
      expect(numbers()).toEqual([ws.number(2)]);
      expect(
        (await ws.ledger.reminders.forLicenses([ws.licenseId(1)])).map((r) => [r.state, r.reason]),
      ).toEqual([['skipped', 'stored-text']]);

      await editStoredText(ws, ws.licenseId(1), () => original);
      expect(await ws.tick(ws.config, addDays(today, 1))).toMatchObject({ sent: 1, skipped: 0 });
      expect(numbers()).toEqual([ws.number(2), ws.number(1)]);
    });
  });
}
