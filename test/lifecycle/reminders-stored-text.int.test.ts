/**
 * A license whose stored text does not read (its JSON cut short) stopped the reminders of every
 * holder: the tick's first step asked whether a renewal continues each license on its page and
 * parsed every payload it found (ledger/predecessors.ts), and the send read each reminder's number
 * and names from its version's payload (ledger/reminders.ts `versionFacts`); either threw out of
 * the tick. That license's reminder is now skipped (`stored-text`), a warning naming its license id
 * and never a value of its text, and the other holders are reminded.
 */
import { Writable } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { addDays } from '../../core/local-date.js';
import { createLogger } from '../../core/logger.js';
import { lifecycleToday } from '../../pipelines/lifecycle/settings.js';
import { lifecycleTick } from '../../pipelines/lifecycle/tick.js';
import { Runtime } from '../../pipelines/runtime.js';
import { BACKENDS } from '../ledger/backends.js';
import { realDayWorkspace } from './reminders-fixture.js';
import { editStoredText } from './stored-text-fixture.js';

for (const backend of BACKENDS) {
  describe(`reminders and a license whose stored text does not read (${backend.name} ledger)`, () => {
    const ws = realDayWorkspace({ backend });

    it('reminds the other holders, and skips that one, naming it', async () => {
      const today = lifecycleToday(ws.config)();
      await ws.commit(1, addDays(today, 5), { phone: '13912340001' });
      await ws.commit(2, addDays(today, 6), { phone: '13912340002' });
      await editStoredText(ws, ws.licenseId(1), (text) => text.slice(0, 20));
      const lines: string[] = [];
      const sink = new Writable({
        write(chunk, _enc, done) {
          lines.push(String(chunk));
          done();
        },
      });
      const rt = new Runtime(ws.config, createLogger({ level: 'warn', destination: sink }));
      try {
        const result = await lifecycleTick(rt);
        expect(result.reminders).toMatchObject({ sent: 1, skipped: 1 });
        expect(ws.messagesOf(2)).toHaveLength(1);
        expect(ws.messagesOf(1)).toEqual([]);
        const rows = await ws.ledger.reminders.forLicenses([ws.licenseId(1)]);
        expect(rows.map((r) => [r.state, r.reason])).toEqual([['skipped', 'stored-text']]);
        const warned = lines.join('\n');
        expect(warned).toContain(ws.licenseId(1));
        expect(warned).not.toContain('13912340001');
        expect(warned).not.toContain('海滨小吃店');
      } finally {
        await rt.close();
      }
    });
  });
}
