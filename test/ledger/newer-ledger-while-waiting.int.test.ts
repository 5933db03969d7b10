/**
 * During an upgrade a process of the new release migrates the ledger while one of the release
 * before starts (a worker restarted by its service manager). The older process finds the ledger
 * as it was before the upgrade, then waits for the migration lock; once the newer process commits,
 * the ledger holds a migration the older one does not know, and it must be refused as newer then,
 * as it is when found so at once — not opened to write into tables it would misread (PostgreSQL),
 * nor refused with knex's "the migration directory is corrupt" (SQLite).
 */
import { afterEach, describe, expect, it } from 'vitest';
import { openLedger } from '../../ledger/open-ledger.js';
import { BACKENDS, quietLogger, type TestDatabase } from './backends.js';
import { FUTURE_MIGRATION, newerMigrationHeld, watchedLogger } from './newer-migration-fixture.js';
import { rawKnex } from './raw-knex.js';

describe.each(BACKENDS)('a ledger a newer licbridge migrates while this one waits ($name)', (backend) => {
  let database: TestDatabase | undefined;
  afterEach(async () => {
    await database?.dispose();
    database = undefined;
  });

  it('is refused as newer once the newer migration commits', async () => {
    database = await backend.create();
    const url = database.url;
    await (await openLedger(url, { logger: quietLogger })).close();
    const newer = rawKnex(url);
    const watch = rawKnex(url);
    try {
      // The newer release's migration, as knex runs it: in one transaction holding the lock.
      const migration = await newerMigrationHeld(newer);

      const { logger, found } = watchedLogger('ledger: migration lock busy, waiting');
      const opening = openLedger(url, { logger, busyTimeoutMs: 1 }).then(
        async (l) => {
          await l.close();
          return undefined;
        },
        (e: unknown) => e,
      );
      // Wait until the older process waits on the lock: on SQLite it says so, between tries; on
      // PostgreSQL its update of the lock row waits on the newer transaction's row lock.
      if (backend.name === 'sqlite') await found;
      else {
        for (;;) {
          const waiting = await watch.raw(
            `select 1 from pg_stat_activity where wait_event_type = 'Lock' and query like '%ledger_migrations_lock%'`,
          );
          if (waiting.rows.length > 0) break;
          await new Promise((r) => setTimeout(r, 20));
        }
      }
      await migration.commit();

      const error = await opening;
      expect(error).toMatchObject({ code: 'LB_LEDGER', retryable: false });
      expect((error as Error).message).toMatch(/migrated by a newer licbridge/);
      expect((error as Error).message).toContain(FUTURE_MIGRATION);
      expect(await watch('ledger_migrations_lock').select('is_locked')).toEqual([{ is_locked: 0 }]);
    } finally {
      await newer.destroy();
      await watch.destroy();
    }
  }, 60_000);
});
