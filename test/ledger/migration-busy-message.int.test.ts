/**
 * SQLite: a process that gives up waiting while another holds the ledger's write lock (a first
 * process of a new release migrating a large ledger, which takes minutes) is told so. It is not
 * sent to clear `is_locked` in the migration lock table, which holds 0 on disk: the other process's
 * lock is its uncommitted transaction, and there is nothing to clear.
 */
import knex from 'knex';
import { afterEach, describe, expect, it } from 'vitest';
import { migrateLatest } from '../../ledger/migrate.js';
import { openLedger } from '../../ledger/open-ledger.js';
import { quietLogger, sqliteBackend, type TestDatabase } from './backends.js';
import { rawKnex } from './raw-knex.js';

describe('giving up on a SQLite ledger another process writes (sqlite)', () => {
  let database: TestDatabase | undefined;
  afterEach(async () => {
    await database?.dispose();
    database = undefined;
  });

  it('names the write lock, not a lock flag to clear', async () => {
    database = await sqliteBackend.create();
    await (await openLedger(database.url, { logger: quietLogger })).close();
    const file = database.url.slice('sqlite://'.length);
    const other = rawKnex(database.url);
    // A start of this process, each try busy at once rather than after busy_timeout.
    const starting = knex({
      client: 'better-sqlite3',
      connection: { filename: file },
      useNullAsDefault: true,
      pool: {
        afterCreate(conn: { pragma(s: string): unknown }, done: (e: Error | null, c: unknown) => void) {
          conn.pragma('busy_timeout = 1');
          done(null, conn);
        },
      },
    });
    try {
      // The other process migrating: its transaction holds the write lock, its lock flag uncommitted.
      const trx = await other.transaction();
      await trx('ledger_migrations_lock').update({ is_locked: 1 });
      const error = await migrateLatest(starting, { log: quietLogger, attempts: 2, delayMs: 1 }).then(
        () => undefined,
        (e: unknown) => e,
      );
      await trx.rollback();

      expect(error).toMatchObject({ code: 'LB_LEDGER' });
      const message = (error as Error).message;
      expect(message).toMatch(/another process held the SQLite ledger's write lock/);
      expect(message).not.toMatch(/clear it/);
      expect(await other('ledger_migrations_lock').select('is_locked')).toEqual([{ is_locked: 0 }]);
    } finally {
      await starting.destroy();
      await other.destroy();
    }
  }, 60_000);
});
