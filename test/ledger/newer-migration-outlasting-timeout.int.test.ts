/**
 * PostgreSQL: a process of the release before, started while a newer release migrates the ledger
 * for longer than `ledger.queryTimeoutMs` (an index built over millions of licenses), finds no
 * migration of its own to apply, so its wait for the migration lock is bounded like any statement.
 * Past the bound that wait is still a wait for the lock, not a database that did not answer: it
 * goes on waiting, and once the newer migration commits the ledger is refused as newer.
 */
import { Writable } from 'node:stream';
import { afterEach, describe, expect, it } from 'vitest';
import { createLogger } from '../../core/logger.js';
import { openLedger } from '../../ledger/open-ledger.js';
import { postgresBackend, quietLogger, type TestDatabase } from './backends.js';
import { rawKnex } from './raw-knex.js';

/** A logger, and a promise of its first line holding `text`. */
function watchedLogger(text: string) {
  let seen!: () => void;
  const found = new Promise<void>((resolve) => {
    seen = resolve;
  });
  const destination = new Writable({
    write(chunk: Buffer, _encoding, done) {
      if (chunk.toString().includes(text)) seen();
      done();
    },
  });
  return { logger: createLogger({ level: 'debug', destination }), found };
}

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
      const trx = await newer.transaction();
      await trx('ledger_migrations_lock').update({ is_locked: 1 });
      await trx('ledger_migrations').insert({
        name: '999-from-the-future',
        batch: 99,
        migration_time: new Date(),
      });

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
      await trx('ledger_migrations_lock').update({ is_locked: 0 });
      await trx.commit();
      const error = await opening;

      expect(first).toBe('waiting');
      expect(error).toMatchObject({ code: 'LB_LEDGER', retryable: false });
      expect((error as Error).message).toMatch(/migrated by a newer licbridge/);
      expect((error as Error).message).toContain('999-from-the-future');
    } finally {
      await newer.destroy();
    }
  }, 60_000);
});
