/**
 * The scheduled tick whose reminder step fails after some reminders went out (a ledger write
 * refused: the record of a gateway's answer, the purge of contacts after the sending) fails its
 * job, and BullMQ runs it again: the retry (`done-today`) sends no reminder a second time to a
 * holder — one recorded `sent` is not pending, and one whose answer was not recorded is sent again
 * under its key, which the gateway answers from its memory — queues no second copy of the day's
 * expiries, and completes.
 */
import { describe, expect, it } from 'vitest';
import { addDays } from '../../core/local-date.js';
import { createLogger } from '../../core/logger.js';
import { lifecycleToday } from '../../pipelines/lifecycle/settings.js';
import { lifecycleJob } from '../../pipelines/lifecycle/tick-job.js';
import { Runtime } from '../../pipelines/runtime.js';
import { realDayWorkspace, tickJobQueues } from './reminders-fixture.js';

const logger = createLogger({ level: 'silent' });

describe('the scheduled tick retried after its reminders failed', () => {
  for (const fault of ['record', 'purgeContacts'] as const) {
    describe(fault, () => {
      const ws = realDayWorkspace();
      it(`sends each reminder once and completes (${fault} failed once)`, async () => {
        const today = lifecycleToday(ws.config)();
        const base = fault === 'record' ? 40 : 50;
        await ws.commit(base, addDays(today, -1), { phone: `139123400${base}` });
        for (const n of [1, 2, 3])
          await ws.commit(base + n, addDays(today, n + 2), { phone: `139123400${base + n}` });
        const { config, queues, close } = tickJobQueues(ws);
        const rt = new Runtime(config, logger);
        try {
          const store = (await rt.ledger()).reminders;
          const original = store[fault].bind(store) as (...args: unknown[]) => Promise<unknown>;
          let failed = false;
          (store as unknown as Record<string, unknown>)[fault] = async (...args: unknown[]) => {
            // The first write of an outcome (a reminder's answer), not the step's empty drop list.
            const outcomes = args[0];
            if (!failed && (fault === 'purgeContacts' || (Array.isArray(outcomes) && outcomes.length > 0))) {
              failed = true;
              throw new Error(`ledger: ${fault} failed (a test fault)`);
            }
            return original(...args);
          };
          await expect(lifecycleJob(rt, queues, `job-${fault}`)).rejects.toThrow(/a test fault/);
          const signJobs = async () =>
            (await queues.sign.getJobs(['waiting', 'delayed', 'prioritized', 'active'])).flatMap(
              (j) => (j.data as { versionIds: number[] }).versionIds,
            );
          const queued = await signJobs();
          expect(queued.length).toBeGreaterThan(0);

          // BullMQ's retry: the same job again.
          await expect(lifecycleJob(rt, queues, `job-${fault}`)).resolves.toMatchObject({ today });
          for (const n of [1, 2, 3]) expect(ws.messagesOf(base + n)).toHaveLength(1);
          // The answer not recorded: sent again under its key, and answered from the gateway's memory.
          expect(ws.sim.stats().replays).toBe(fault === 'record' ? 1 : 0);
          const rows = await ws.ledger.reminders.forLicenses([1, 2, 3].map((n) => ws.licenseId(base + n)));
          expect(rows.map((r) => r.state)).toEqual(['sent', 'sent', 'sent']);
          // The expiries are queued once: the retry left those the first attempt queued to their job.
          expect((await signJobs()).sort()).toEqual([...queued].sort());
        } finally {
          await close();
          await rt.close();
        }
      });
    });
  }
});
