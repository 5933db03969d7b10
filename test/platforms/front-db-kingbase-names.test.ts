/**
 * The names a KingbaseES front database answers to (adapters/platforms/front-db/kingbase-names.ts),
 * asked through knex's PostgreSQL client of a stand-in: `sys_*` where they resolve, `pg_*` where
 * they do not, and `sys_*` (the documented names) where the lookup function itself is missing;
 * a lost connection is the opening's failure, not an answer.
 */
import knexModule from 'knex';
import { describe, expect, it } from 'vitest';
import { kingbaseNames } from '../../adapters/platforms/front-db/kingbase-names.js';

interface Compiled {
  sql: string;
  response?: unknown;
}

/** knex's PostgreSQL client answering each statement with `answer(sql)` (a row's `found`, or a throw). */
function standIn(answer: (sql: string) => boolean) {
  const k = knexModule({ client: 'pg' });
  const client = k.client as unknown as Record<string, unknown>;
  client.acquireConnection = async () => ({});
  client.releaseConnection = async () => {};
  client._query = async (_connection: unknown, q: Compiled) => {
    q.response = { rows: [{ found: answer(q.sql) }] };
    return q;
  };
  return k;
}

const deadline = { remainingMs: () => 5_000, cancel: false };
const fail = (code: string) => {
  throw Object.assign(new Error('refused'), { code });
};

describe('the names a KingbaseES front database answers to', () => {
  it('sys_* where they resolve', async () => {
    await expect(
      kingbaseNames(
        standIn(() => true),
        deadline,
      ),
    ).resolves.toEqual({ catalog: 'sys_', locks: 'sys_' });
  });

  it('pg_* where they do not, each on its own', async () => {
    const k = standIn((sql) => !/to_regprocedure/.test(sql));
    await expect(kingbaseNames(k, deadline)).resolves.toEqual({ catalog: 'sys_', locks: 'pg_' });
  });

  it('sys_* where the lookup function is not there (42883)', async () => {
    const k = standIn((sql) => (/to_regprocedure/.test(sql) ? fail('42883') : false));
    await expect(kingbaseNames(k, deadline)).resolves.toEqual({ catalog: 'pg_', locks: 'sys_' });
  });

  it('throws a lost connection', async () => {
    await expect(
      kingbaseNames(
        standIn(() => fail('ECONNRESET')),
        deadline,
      ),
    ).rejects.toMatchObject({
      code: 'ECONNRESET',
    });
  });
});
