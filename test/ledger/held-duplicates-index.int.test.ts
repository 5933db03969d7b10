/**
 * Migration 040: the count of deliveries held back as answered duplicates (`licbridge status`,
 * `/metrics`) reads a partial index of the held rows, not the whole of `deliveries`; undone, the
 * index goes.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { MIGRATIONS } from '../../ledger/migrate.js';
import { openLedger } from '../../ledger/open-ledger.js';
import { BACKENDS, quietLogger, type TestDatabase } from './backends.js';
import { queryPlan, rawKnex } from './raw-knex.js';

const M040 = MIGRATIONS.find((m) => m.name === '040-held-duplicates-index');

/** The held-duplicates count's shape (ledger/reconcile-duplicates.ts `heldDuplicates`). */
const COUNT = `select v.pipeline, d.target, count(*) as n, min(d.duplicate_at) as oldest
    from deliveries d join license_versions v on v.version_id = d.version_id
   where d.duplicate_repair is not null
   group by v.pipeline, d.target order by v.pipeline, d.target`;

describe.each(BACKENDS)('migration 040: held duplicates by a partial index ($name)', (backend) => {
  let database: TestDatabase;

  beforeAll(async () => {
    database = await backend.create();
    await (await openLedger(database.url, { logger: quietLogger })).close();
  });
  afterAll(async () => {
    await database?.dispose();
  });

  const plan = async (): Promise<string> => {
    const raw = rawKnex(database.url);
    try {
      // On PostgreSQL, on a table too small for any plan to prefer an index by itself: a scan of
      // the table is what the index is there to spare.
      return await queryPlan(raw, raw.raw(COUNT), backend.name === 'sqlite');
    } finally {
      await raw.destroy();
    }
  };

  it('counts the held rows through the index, and undoes and redoes it', async () => {
    expect(await plan()).toMatch(/deliveries_held_duplicates_idx/);
    const raw = rawKnex(database.url);
    try {
      await M040?.down(raw);
      expect(await plan()).not.toMatch(/deliveries_held_duplicates_idx/);
      await M040?.up(raw);
    } finally {
      await raw.destroy();
    }
    expect(await plan()).toMatch(/deliveries_held_duplicates_idx/);
  });
});
