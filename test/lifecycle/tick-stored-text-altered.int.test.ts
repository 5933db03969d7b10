/**
 * A due license whose stored text reads but was altered since it was written (edited by hand, so
 * it no longer hashes to the content hash its version records) was expired as it read: the tick
 * built its `expire` version from the altered text and hashed it anew, and the altered license was
 * signed and delivered as the issuer's. The tick now checks the text against its version's
 * content hash and sets such a license aside (`LB_STORED_TEXT`), as reconcile repairs do.
 */
import { describe, expect, it } from 'vitest';
import { addDays } from '../../core/local-date.js';
import { lifecycleToday } from '../../pipelines/lifecycle/settings.js';
import { lifecycleTick } from '../../pipelines/lifecycle/tick.js';
import { BACKENDS } from '../ledger/backends.js';
import { realDayWorkspace } from './reminders-fixture.js';
import { editStoredText } from './stored-text-fixture.js';

for (const backend of BACKENDS) {
  describe(`the tick and an altered stored license (${backend.name} ledger)`, () => {
    const ws = realDayWorkspace({ backend });

    it('does not expire it as it reads; the others expire', async () => {
      const today = lifecycleToday(ws.config)();
      await ws.commit(1, addDays(today, -5), { phone: '13912340011' });
      await ws.commit(2, addDays(today, -4), { phone: '13912340012' });
      const original = await editStoredText(ws, ws.licenseId(1), (text) => {
        const edited = text.replace('长江中路1号', '长江中路9号');
        expect(edited).not.toBe(text);
        return edited;
      });
      const result = await lifecycleTick(ws.rt);
      expect(result.pipelines).toEqual([
        expect.objectContaining({ outcome: 'ticked', expired: 1, setAside: [ws.licenseId(1)] }),
      ]);
      const created = await ws.ledger.getVersions(
        result.pipelines.flatMap((p) => p.created.map((c) => c.versionId)),
      );
      expect(created.map((v) => v.licenseId)).toEqual([ws.licenseId(2)]);
      const states = new Map((await ws.ledger.pipelineLicenses(ws.pipeline)).map((l) => [l.licenseId, l]));
      expect(states.get(ws.licenseId(1))).toMatchObject({ status: 'valid', version: 1 });
      const open = (await ws.ledger.openQuarantine({ pipeline: ws.pipeline })).filter((q) =>
        q.reasons.some((r) => r.code === 'LB_STORED_TEXT'),
      );
      const said = JSON.stringify(open);
      expect(said).toContain(
        `license ${ws.licenseId(1)} version 1: its stored text does not match the content hash its version records`,
      );
      expect(said).not.toContain('长江中路');

      // Restored as it was signed: the next day's tick expires it.
      await editStoredText(ws, ws.licenseId(1), () => original);
      const restored = await lifecycleTick(ws.rt, { today: addDays(today, 1) });
      expect(restored.pipelines[0]).toMatchObject({ expired: 1, setAside: [] });
    });
  });
}
