/**
 * A process that starts while another migrates the ledger waits for the migration lock, as every
 * worker started beside the first one after an upgrade does. That wait is no fault: it is not
 * logged as a warning, and nothing tells the operator to release the lock by hand (with a
 * `knex migrate:unlock` licbridge does not have) while the other process is still migrating.
 * SQLite: each try finds the database busy and knex reports it as a lock it could not take.
 * (PostgreSQL waits on the lock row and knex reports nothing but in the race of two first starts.)
 */
import { Writable } from 'node:stream';
import { afterEach, describe, expect, it } from 'vitest';
import { createLogger } from '../../core/logger.js';
import { openLedger } from '../../ledger/open-ledger.js';
import { quietLogger, sqliteBackend, type TestDatabase } from './backends.js';
import { rawKnex } from './raw-knex.js';

interface Line {
  level: number;
  msg: string;
  detail?: string;
}

/** A logger keeping its lines, and a promise of the first line whose `msg` is `msg`. */
function keptLogger(msg: string) {
  const lines: Line[] = [];
  let seen!: () => void;
  const found = new Promise<void>((resolve) => {
    seen = resolve;
  });
  const destination = new Writable({
    write(chunk: Buffer, _encoding, done) {
      for (const text of chunk.toString().split('\n').filter(Boolean)) {
        const line = JSON.parse(text) as Line;
        lines.push(line);
        if (line.msg === msg) seen();
      }
      done();
    },
  });
  return { logger: createLogger({ level: 'debug', destination }), lines, found };
}

describe('waiting for another process migrating the ledger (sqlite)', () => {
  let database: TestDatabase | undefined;
  afterEach(async () => {
    await database?.dispose();
    database = undefined;
  });

  it('is not logged as a warning, nor with advice to unlock by hand', async () => {
    database = await sqliteBackend.create();
    const url = database.url;
    await (await openLedger(url, { logger: quietLogger })).close();
    const other = rawKnex(url);
    const { logger, lines, found } = keptLogger('ledger: migration lock busy, waiting');
    try {
      // The other process's migration, as knex runs it: in one transaction holding the lock.
      const trx = await other.transaction();
      await trx('ledger_migrations_lock').update({ is_locked: 1 });
      const opening = openLedger(url, { logger, busyTimeoutMs: 1 });
      await found;
      await trx('ledger_migrations_lock').update({ is_locked: 0 });
      await trx.commit();
      await (await opening).close();

      const warned = lines.filter((l) => l.level >= 40).map((l) => `${l.msg}: ${l.detail ?? ''}`);
      expect(warned.filter((w) => /lock/i.test(w) && !/extra migration lock rows/.test(w))).toEqual([]);
      expect(JSON.stringify(lines)).not.toMatch(/migrate:unlock/);
    } finally {
      await other.destroy();
    }
  }, 60_000);
});
