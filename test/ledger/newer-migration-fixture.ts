/**
 * A newer release migrating the ledger while this one starts: its migration held open as knex
 * runs one (one transaction holding the lock, a migration this release does not know), and a
 * logger that tells when the starting process says it waits.
 */
import { Writable } from 'node:stream';
import type { Knex } from 'knex';
import { createLogger } from '../../core/logger.js';

/** The migration the newer release applies, unknown to this one. */
export const FUTURE_MIGRATION = '999-from-the-future';

/** A logger whose lines are kept, and a promise of the first line holding `text`. */
export function watchedLogger(text: string) {
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

/** The newer release's migration under way on `newer`; `commit` frees the lock and commits it. */
export async function newerMigrationHeld(newer: Knex): Promise<{ commit(): Promise<void> }> {
  const trx = await newer.transaction();
  await trx('ledger_migrations_lock').update({ is_locked: 1 });
  await trx('ledger_migrations').insert({ name: FUTURE_MIGRATION, batch: 99, migration_time: new Date() });
  return {
    async commit() {
      await trx('ledger_migrations_lock').update({ is_locked: 0 });
      await trx.commit();
    },
  };
}
