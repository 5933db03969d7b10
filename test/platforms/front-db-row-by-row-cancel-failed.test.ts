/**
 * Rows inserted one by one (`row-by-row`): a row whose insert failed is a duplicate when its key is
 * there afterwards, looked up on the same connection. A statement out of time is no duplicate, and
 * neither is one whose cancel then failed (knex 3 runner.js: the cancel's error, its message
 * replaced, `timeout` set on it): the statement may still be running on that connection, so the
 * savepoint's rollback and the key's lookup would wait on it, and a lookup that found the key would
 * take the row as sent before. Each ends the batch as the deadline passed.
 */
import type { Knex } from 'knex';
import { describe, expect, it } from 'vitest';
import { insertNewKeys } from '../../adapters/platforms/front-db/insert-new-keys.js';
import { pastDeadline } from '../../adapters/platforms/front-db/statement-deadline.js';

const TABLE = 'UP_LIC_DATA';

/** The error knex rejects with when a statement's cancel failed, built as runner.js builds it. */
function cancelFailed(timeout: number): Error {
  return Object.assign(new Error('Connection terminated due to connection timeout'), {
    message: `After query timeout of ${timeout}ms exceeded, cancelling of query failed.`,
    sql: `insert into "${TABLE}" ("DELIVERY_KEY") values (?)`,
    bindings: ['k'],
    timeout,
  });
}

/** A transaction of `dialect` whose inserts fail with `failure`, recording what else it is asked. */
function failingTrx(dialect: string, failure: Error): { trx: Knex.Transaction; asked: string[] } {
  const asked: string[] = [];
  const builder = () => {
    const b = {
      // `notHeld`: no key is there before the inserts.
      select: () => b,
      whereIn: () => Promise.resolve([]),
      insert: () => Promise.reject(failure),
      first: () => b,
      where: () => {
        asked.push('lookup');
        return Promise.resolve({ DELIVERY_KEY: 'k' });
      },
    };
    return b;
  };
  const trx = Object.assign(builder, {
    client: { dialect },
    raw: (sql: string) => {
      asked.push(sql);
      return Promise.resolve();
    },
    transaction: async (write: (sp: unknown) => Promise<unknown>) => {
      try {
        await write(builder);
      } catch (e) {
        asked.push('ROLLBACK TO SAVEPOINT (knex)');
        throw e;
      }
    },
  });
  return { trx: trx as unknown as Knex.Transaction, asked };
}

describe('front-db row-by-row inserts: a statement whose cancel failed after its time', () => {
  it('is taken as the deadline passed', () => {
    expect(pastDeadline(cancelFailed(749))).toBe(true);
  });

  it.each(['oracle', 'mssql'])(
    '%s: fails the batch, no rollback to the savepoint, no lookup',
    async (dialect) => {
      const failure = cancelFailed(749);
      const { trx, asked } = failingTrx(dialect, failure);
      const row = { DELIVERY_KEY: 'k' };
      await expect(insertNewKeys(trx, TABLE, [row], 'row-by-row')).rejects.toBe(failure);
      // Before: the key looked up (found: the row taken as a duplicate, the batch read back as sent)
      // and, on Oracle and DM, `ROLLBACK TO SAVEPOINT LB_ROW` sent behind the statement still running.
      expect(asked.filter((a) => a !== 'SAVEPOINT LB_ROW' && a !== 'ROLLBACK TO SAVEPOINT (knex)')).toEqual(
        [],
      );
    },
  );
});
