/**
 * A due license the tick set aside, its stored text corrupt, is quarantined `LB_STORED_TEXT`
 * (tick-stored-text). Once a person restored the text, a later day's tick expires it — and its
 * record stayed open: no run reads a source row whose content did not change, so nothing closed
 * it, and `licbridge quarantine list` named an expired license as still to fix, for good. The tick
 * that expires the license now closes that record in the same page; a license still broken keeps
 * its own.
 */
import { describe, expect, it } from 'vitest';
import type { Config } from '../../config/types.js';
import { addDays } from '../../core/local-date.js';
import { lifecycleToday } from '../../pipelines/lifecycle/settings.js';
import { lifecycleTick } from '../../pipelines/lifecycle/tick.js';
import { Runtime } from '../../pipelines/runtime.js';
import { BACKENDS, quietLogger } from '../ledger/backends.js';
import { realDayWorkspace } from './reminders-fixture.js';
import { editStoredText } from './stored-text-fixture.js';

for (const backend of BACKENDS) {
  describe(`a set-aside license whose stored text was restored (${backend.name} ledger)`, () => {
    const ws = realDayWorkspace({ backend });

    it("is expired by the next day's tick, which closes its LB_STORED_TEXT record", async () => {
      const today = lifecycleToday(ws.config)();
      await ws.commit(1, addDays(today, -10), { phone: '13912340001' });
      await ws.commit(2, addDays(today, -5), { phone: '13912340002' });
      await ws.commit(3, addDays(today, -3), { phone: '13912340003' });
      const original = await editStoredText(ws, ws.licenseId(1), (text) => text.slice(0, 20));
      const second = await editStoredText(ws, ws.licenseId(2), (text) => text.slice(0, 20));
      const config = {
        ...ws.config,
        lifecycle: { ...ws.config.lifecycle, pageSize: 1 },
      } as Readonly<Config>;
      const rt = new Runtime(config, quietLogger);
      const openStoredText = async () =>
        (await ws.ledger.openQuarantine({ pipeline: ws.pipeline }))
          .filter((q) => q.reasons.some((r) => r.code === 'LB_STORED_TEXT'))
          .map((q) => q.reasons.map((r) => r.message).join(' '));
      try {
        const first = await lifecycleTick(rt);
        expect(first.pipelines[0]).toMatchObject({
          expired: 1,
          setAside: [ws.licenseId(1), ws.licenseId(2)],
        });
        expect(await openStoredText()).toHaveLength(2);

        // License 1's text restored; license 2's still broken.
        await editStoredText(ws, ws.licenseId(1), () => original);
        const restored = await lifecycleTick(rt, { today: addDays(today, 1) });
        expect(restored.pipelines[0]).toMatchObject({ expired: 1, setAside: [ws.licenseId(2)] });
        const states = new Map(
          (await ws.ledger.pipelineLicenses(ws.pipeline)).map((l) => [l.licenseId, l.status]),
        );
        expect([1, 2, 3].map((n) => states.get(ws.licenseId(n)))).toEqual(['expired', 'valid', 'expired']);
        // Only the one still broken is on the worklist.
        const open = await openStoredText();
        expect(open).toHaveLength(1);
        expect(open[0]).toContain(`license ${ws.licenseId(2)} version 1`);

        // A later tick with license 2 still broken: set aside again, no record reopened for 1.
        const later = await lifecycleTick(rt, { today: addDays(today, 2) });
        expect(later.pipelines[0]).toMatchObject({ expired: 0, setAside: [ws.licenseId(2)] });
        expect(await openStoredText()).toHaveLength(1);
        // The chain holds every act of it (verify reads the stored texts: license 2's restored first).
        await editStoredText(ws, ws.licenseId(2), () => second);
        expect((await ws.ledger.verifyAudit()).ok).toBe(true);
      } finally {
        await rt.close();
      }
    });
  });
}
