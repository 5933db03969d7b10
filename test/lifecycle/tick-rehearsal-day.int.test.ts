/**
 * A rehearsal (`lifecycle run --today` of tomorrow) recorded tomorrow in the tick watermark, and
 * tomorrow's real tick found its day ticked (`done-today`) and expired nothing: a license read
 * later today whose last valid day was today stayed `valid` a day past its date. The watermark's
 * day counts as ticked for the real ticks only when a real tick recorded it (docs/lifecycle.md).
 */
import { afterAll, describe, expect, it } from 'vitest';
import { addDays } from '../../core/local-date.js';
import { lifecycleToday } from '../../pipelines/lifecycle/settings.js';
import { lifecycleTick } from '../../pipelines/lifecycle/tick.js';
import { BACKENDS } from '../ledger/backends.js';
import { realDayWorkspace } from './reminders-fixture.js';

for (const backend of BACKENDS) {
  describe(`the real tick of a rehearsed day (${backend.name} ledger)`, () => {
    const ws = realDayWorkspace({ backend });
    afterAll(() => {
      delete process.env.LICBRIDGE_TODAY;
    });

    it('expires what became due since the rehearsal, then is done for the day', async () => {
      const today = lifecycleToday(ws.config)();
      const tomorrow = addDays(today, 1);
      process.env.LICBRIDGE_TODAY = today;
      const trial = await lifecycleTick(ws.rt, { today: tomorrow });
      expect(trial.pipelines[0]).toMatchObject({ outcome: 'ticked', expired: 0 });
      // The rehearsal run again is covered by itself.
      const trialAgain = await lifecycleTick(ws.rt, { today: tomorrow });
      expect(trialAgain.pipelines[0]).toMatchObject({ outcome: 'done-today', expired: 0 });
      // Read later today: valid until the end of today.
      await ws.commit(1, today, { phone: '13912340021' });

      process.env.LICBRIDGE_TODAY = tomorrow;
      const real = await lifecycleTick(ws.rt);
      expect(real.pipelines[0]).toMatchObject({ outcome: 'ticked', expired: 1 });
      const counts = await ws.ledger.licenseStatusCounts(ws.pipeline);
      expect(counts.expired ?? 0).toBe(1);
      // A second real tick of the day is the usual no-op.
      const again = await lifecycleTick(ws.rt);
      expect(again.pipelines[0]).toMatchObject({ outcome: 'done-today', expired: 0 });
    });

    it('a rehearsal that died half-way is not resumed by the real tick, which records its own day', async () => {
      const today = lifecycleToday(ws.config)();
      const day = addDays(today, 10);
      process.env.LICBRIDGE_TODAY = addDays(today, 9);
      // The rehearsal of `day` began and died.
      const died = `lifecycle-${day}-rehearsal-died`;
      await ws.ledger.beginLifecycleTick({ pipeline: ws.pipeline, day, runId: died });
      process.env.LICBRIDGE_TODAY = day;
      const real = await lifecycleTick(ws.rt);
      expect(real.pipelines[0]).toMatchObject({ outcome: 'ticked' });
      expect(real.pipelines[0]?.runId).not.toBe(died);
      expect(await ws.ledger.getRun(died)).toMatchObject({ extractedAt: expect.any(Date) });
      const again = await lifecycleTick(ws.rt);
      expect(again.pipelines[0]).toMatchObject({ outcome: 'done-today', expired: 0 });
    });
  });
}
