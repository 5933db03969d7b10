import type { Knex } from 'knex';
import { createDb, type Db } from '../../ledger/db.js';
import { noWriteLock } from '../../ledger/write-lock.js';
import { type Backend, quietLogger } from './backends.js';
import { rawKnex } from './raw-knex.js';

/**
 * A Db of the test's own on the ledger database at `url`, its knex pushing onto `answers` the
 * number of rows of each answer the driver hands over. Destroy `knex` when done.
 */
export function countedDb(url: string, dialect: Backend['name'], answers: number[]): { knex: Knex; db: Db } {
  const knex = rawKnex(url);
  knex.on('query-response', (response: unknown) => {
    if (Array.isArray(response)) answers.push(response.length);
  });
  const db = createDb({
    knex,
    dialect,
    maxParams: 999,
    maxRows: 500,
    log: quietLogger,
    exclusive: noWriteLock,
  });
  return { knex, db };
}
