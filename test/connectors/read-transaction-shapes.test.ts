/**
 * SQL Server and Oracle have no server here: their read transactions are checked by the shape
 * each dialect hands to knex and the statement it runs first; the shared helper is checked on a
 * real (embedded) SQLite database.
 */
import knex from 'knex';
import { describe, expect, it } from 'vitest';
import { MSSQL_READ, mssqlDialect } from '../../connectors/sql/dialects/mssql/dialect.js';
import { MYSQL_READ, mysqlDialect } from '../../connectors/sql/dialects/mysql/dialect.js';
import { ORACLE_READ, oracleDialect } from '../../connectors/sql/dialects/oracle/dialect.js';
import { POSTGRES_READ, postgresDialect } from '../../connectors/sql/dialects/postgres/dialect.js';
import { inReadTransaction } from '../../connectors/sql/read-transaction.js';

describe('read transactions per dialect', () => {
  it('every network dialect reads inside a read transaction', () => {
    for (const d of [postgresDialect, mysqlDialect, mssqlDialect, oracleDialect]) {
      expect(typeof d.readTransaction, d.kind).toBe('function');
    }
  });

  it('PostgreSQL and MySQL open it READ ONLY; Oracle runs SET TRANSACTION READ ONLY first', () => {
    expect(POSTGRES_READ.config).toMatchObject({ readOnly: true });
    expect(MYSQL_READ.config).toMatchObject({ readOnly: true });
    expect(ORACLE_READ.first).toBe('SET TRANSACTION READ ONLY');
  });

  it('SQL Server reads READ COMMITTED with read-only application intent', async () => {
    expect(MSSQL_READ.config).toMatchObject({ isolationLevel: 'read committed' });
    const cfg = await mssqlDialect.knexConfig('s', {
      kind: 'mssql',
      connection: { host: 'h', database: 'd' },
      trim: 'all',
      pageSize: 100,
    });
    expect((cfg.connection as { options: { readOnlyIntent: boolean } }).options.readOnlyIntent).toBe(true);
  });

  it('runs the first statement inside the transaction and rolls back whatever the read wrote', async () => {
    const db = knex({
      client: 'better-sqlite3',
      connection: { filename: ':memory:' },
      useNullAsDefault: true,
    });
    try {
      await db.schema.createTable('t', (t) => t.integer('n'));
      const seen: string[] = [];
      db.on('query', (q: { sql: string }) => seen.push(q.sql));
      const result = await inReadTransaction(db, { config: {}, first: 'SELECT 42' }, async (trx) => {
        await trx('t').insert({ n: 1 });
        return trx('t').count({ c: '*' });
      });
      expect(result).toEqual([{ c: 1 }]);
      expect(await db('t').count({ c: '*' })).toEqual([{ c: 0 }]);
      expect(seen.slice(0, 2)).toEqual(['BEGIN;', 'SELECT 42']);
      expect(seen).toContain('ROLLBACK');
    } finally {
      await db.destroy();
    }
  });
});
