/**
 * knex's migration lock on both backends: two processes opening a new ledger at once could leave
 * its lock table with two rows, after which every start failed as if the lock were held.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { openLedger } from '../../ledger/open-ledger.js';
import { BACKENDS, quietLogger, type TestDatabase } from './backends.js';
import { rawKnex } from './raw-knex.js';

describe.each(BACKENDS)('migration lock ($name)', (backend) => {
  let database: TestDatabase | undefined;
  afterEach(async () => {
    await database?.dispose();
    database = undefined;
  });

  it('a ledger whose lock table got a second row (two first starts at once) still opens, with one row left', async () => {
    database = await backend.create();
    await (await openLedger(database.url, { logger: quietLogger })).close();
    const raw = rawKnex(database.url);
    try {
      // What two processes inserting knex's lock row at once leave behind.
      await raw('ledger_migrations_lock').insert({ is_locked: 0 });

      const ledger = await openLedger(database.url, { logger: quietLogger });
      await ledger.close();
      expect(await raw('ledger_migrations_lock').select('is_locked')).toEqual([{ is_locked: 0 }]);
    } finally {
      await raw.destroy();
    }
  }, 60_000);
});
