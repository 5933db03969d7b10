/**
 * PostgreSQL: a process of the release before, started while a newer release migrates the ledger
 * for longer than `ledger.queryTimeoutMs` (an index built over millions of licenses), finds no
 * migration of its own to apply, so its wait for the migration lock is bounded like any statement.
 * Past the bound that wait is still a wait for the lock, not a database that did not answer: it
 * goes on waiting, and once the newer migration commits the ledger is refused as newer.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { openLedger } from '../../ledger/open-ledger.js';
import { postgresBackend, quietLogger, type TestDatabase } from './backends.js';
import { FUTURE_MIGRATION, newerMigrationHeld, watchedLogger } from './newer-migration-fixture.js';
import { rawKnex } from './raw-knex.js';

describe('a newer migration outlasting ledger.queryTimeoutMs (postgres)', () => {
  let database: TestDatabase | undefined;
  afterEach(async () => {
    await database?.dispose();
    database = undefined;
  });

  it('is waited for, and the ledger then refused as newer', async () => {
    database = await postgresBackend.create();
    const url = database.url;
    await (await openLedger(url, { logger: quietLogger })).close();
    const newer = rawKnex(url);
    try {
      // The newer release's migration, as knex runs it: in one transaction holding the lock.
      const migration = await newerMigrationHeld(newer);

      const { logger, found } = watchedLogger('ledger: migration lock busy, waiting');
      const opening = openLedger(url, { logger, queryTimeoutMs: 300 }).then(
        async (l) => {
          await l.close();
          return undefined;
        },
        (e: unknown) => e,
      );
      // The older process has waited past its bound once, and waits on.
      const first = await Promise.race([found.then(() => 'waiting'), opening]);
      await migration.commit();
      const error = await opening;

      expect(first).toBe('waiting');
      expect(error).toMatchObject({ code: 'LB_LEDGER', retryable: false });
      expect((error as Error).message).toMatch(/migrated by a newer licbridge/);
      expect((error as Error).message).toContain(FUTURE_MIGRATION);
    } finally {
      await newer.destroy();
    }
  }, 60_000);
});
