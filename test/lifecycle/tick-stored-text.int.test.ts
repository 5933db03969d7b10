/**
 * A license due to expire whose stored text does not read (its JSON cut short) threw out of the
 * tick's page: the page rolled back, the error left the tick naming no license, the pipelines
 * after it were not ticked and no reminder went out — every tick after, for good. The tick now
 * sets that license aside (`LB_STORED_TEXT` in the tick's run, audited, named by license id in the
 * tick's result and a warning, never a value of its text), expires the rest — across pages — and
 * sends its reminders. Once its text is restored, a tick of a later day expires it.
 */
import { Writable } from 'node:stream';
import { describe, expect, it } from 'vitest';
import type { Config } from '../../config/types.js';
import { addDays } from '../../core/local-date.js';
import { createLogger } from '../../core/logger.js';
import { lifecycleToday } from '../../pipelines/lifecycle/settings.js';
import { lifecycleTick } from '../../pipelines/lifecycle/tick.js';
import { Runtime } from '../../pipelines/runtime.js';
import { BACKENDS } from '../ledger/backends.js';
import { realDayWorkspace } from './reminders-fixture.js';
import { editStoredText } from './stored-text-fixture.js';

for (const backend of BACKENDS) {
  describe(`the tick and a license whose stored text does not read (${backend.name} ledger)`, () => {
    const ws = realDayWorkspace({ backend });

    it('sets it aside, expires the others page by page, and sends the reminders', async () => {
      const today = lifecycleToday(ws.config)();
      // The broken one first in the page order (validTo, then license id).
      await ws.commit(1, addDays(today, -10), { phone: '13912340001' });
      await ws.commit(2, addDays(today, -5), { phone: '13912340002' });
      await ws.commit(3, addDays(today, -3), { phone: '13912340003' });
      await ws.commit(4, addDays(today, 5), { phone: '13912340004' });
      const original = await editStoredText(ws, ws.licenseId(1), (text) => text.slice(0, 20));
      const lines: string[] = [];
      const sink = new Writable({
        write(chunk, _enc, done) {
          lines.push(String(chunk));
          done();
        },
      });
      const logger = createLogger({ level: 'warn', destination: sink });
      // One license a page: the broken one alone fills the first, and the tick must go on past it.
      const config = {
        ...ws.config,
        lifecycle: { ...ws.config.lifecycle, pageSize: 1 },
      } as Readonly<Config>;
      const rt = new Runtime(config, logger);
      try {
        const result = await lifecycleTick(rt);
        expect(result.pipelines).toEqual([
          expect.objectContaining({
            pipeline: ws.pipeline,
            outcome: 'ticked',
            expired: 2,
            setAside: [ws.licenseId(1)],
          }),
        ]);
        expect(result.reminders).toMatchObject({ sent: 1 });
        expect(ws.messagesOf(4)).toHaveLength(1);
        const states = new Map(
          (await ws.ledger.pipelineLicenses(ws.pipeline)).map((l) => [l.licenseId, l.status]),
        );
        expect([1, 2, 3].map((n) => states.get(ws.licenseId(n)))).toEqual(['valid', 'expired', 'expired']);

        const open = (await ws.ledger.openQuarantine({ pipeline: ws.pipeline })).filter((q) =>
          q.reasons.some((r) => r.code === 'LB_STORED_TEXT'),
        );
        expect(open).toHaveLength(1);
        const said = JSON.stringify(open);
        expect(said).toContain(`license ${ws.licenseId(1)} version 1: its stored text does not read`);
        expect(said).not.toContain('海滨小吃店');
        expect(said).not.toContain('13912340001');
        const entries = ((await ws.ledger.licenseAudit(ws.licenseId(1))) ?? []).filter(
          (e) => e.action === 'quarantine',
        );
        expect(entries).toHaveLength(1);
        expect(JSON.parse(entries[0]?.detail ?? '{}')).toMatchObject({
          code: 'LB_STORED_TEXT',
          stage: 'expire',
        });
        const warned = lines.join('\n');
        expect(warned).toContain(ws.licenseId(1));
        expect(warned).not.toContain('海滨小吃店');

        // A tick of a later day with the text still broken: set aside again, no second record.
        const later = await lifecycleTick(rt, { today: addDays(today, 1) });
        expect(later.pipelines[0]).toMatchObject({ expired: 0, setAside: [ws.licenseId(1)] });
        expect(
          (await ws.ledger.openQuarantine({ pipeline: ws.pipeline })).filter((q) =>
            q.reasons.some((r) => r.code === 'LB_STORED_TEXT'),
          ),
        ).toHaveLength(1);

        // Restored: the next day's tick expires it.
        await editStoredText(ws, ws.licenseId(1), () => original);
        const restored = await lifecycleTick(rt, { today: addDays(today, 2) });
        expect(restored.pipelines[0]).toMatchObject({ expired: 1, setAside: [] });
        expect((await ws.ledger.verifyAudit()).ok).toBe(true);
      } finally {
        await rt.close();
      }
    });
  });
}
