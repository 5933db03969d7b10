/**
 * The ledger's record of lifecycle ticks given up (ledger/lost-ticks.ts, migration 035), on both
 * backends: a job recorded twice is one record; a tick settles only the days lost before it
 * started, on its day or earlier. Migration 035 undone and done again (a downgrade and the next
 * upgrade) leaves a table that records and settles as before.
 */
import { setTimeout as sleep } from 'node:timers/promises';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Ledger } from '../../ledger/ledger.js';
import { MIGRATIONS } from '../../ledger/migrate.js';
import { openLedger } from '../../ledger/open-ledger.js';
import { BACKENDS, quietLogger, type TestDatabase } from '../ledger/backends.js';
import { rawKnex } from '../ledger/raw-knex.js';

describe.each(BACKENDS)('lost lifecycle ticks ($name)', (backend) => {
  let database: TestDatabase;
  let ledger: Ledger;

  beforeAll(async () => {
    database = await backend.create();
    ledger = await openLedger(database.url, { logger: quietLogger });
  });

  afterAll(async () => {
    await ledger?.close();
    await database?.dispose();
  });

  it('keeps each lost job once and settles what a later tick covers', async () => {
    await ledger.lostTicks.record({ jobId: 'a', day: '2026-12-01', reason: 'first' });
    await ledger.lostTicks.record({ jobId: 'a', day: '2026-12-02', reason: 'again' });
    await ledger.lostTicks.record({ jobId: 'b', day: '2026-12-02', reason: 'second' });
    expect((await ledger.lostTicks.unsettled()).map((t) => [t.jobId, t.day, t.reason])).toEqual([
      ['a', '2026-12-01', 'first'],
      ['b', '2026-12-02', 'second'],
    ]);
    // A tick started before the losses settles none of them.
    expect(await ledger.lostTicks.settle(new Date(Date.now() - 60_000), '2026-12-02')).toBe(0);
    await sleep(5);
    // A tick of 2026-12-01 started since covers that day only.
    expect(await ledger.lostTicks.settle(new Date(), '2026-12-01')).toBe(1);
    expect((await ledger.lostTicks.unsettled()).map((t) => t.jobId)).toEqual(['b']);
    expect(await ledger.lostTicks.settle(new Date(), '2026-12-02')).toBe(1);
    expect(await ledger.lostTicks.unsettled()).toEqual([]);
  });

  it('migration 035 goes down and up again', async () => {
    const m035 = MIGRATIONS.find((m) => m.name === '035-lifecycle-lost-ticks');
    expect(m035).toBeDefined();
    await ledger.close();
    const raw = rawKnex(database.url);
    try {
      // Every migration after 035 first, newest first, as a downgrade would.
      for (const m of MIGRATIONS.slice(MIGRATIONS.indexOf(m035 as (typeof MIGRATIONS)[number])).reverse()) {
        await m.down(raw);
        await raw('ledger_migrations').where({ name: m.name }).delete();
      }
      expect(await raw.schema.hasTable('lifecycle_lost_ticks')).toBe(false);
    } finally {
      await raw.destroy();
    }
    ledger = await openLedger(database.url, { logger: quietLogger });
    expect(await ledger.lostTicks.unsettled()).toEqual([]);
    await ledger.lostTicks.record({ jobId: 'c', day: '2026-12-03', reason: 'after the upgrade' });
    await sleep(5);
    expect(await ledger.lostTicks.settle(new Date(), '2026-12-03')).toBe(1);
  });
});
