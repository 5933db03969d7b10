/**
 * Which streams are warned about for reading without a lag window (connectors/sql/lag-window.ts):
 * a date/time cursor on a database with a lag bound and lagMs 0. Not SQLite, which has no lag
 * bound; not a counter, on which lagMs is refused (SQL Server `timestamp` is a rowversion); not a
 * stream with lagMs set. The database's own run is in lag-window-warning.int.test.ts.
 *
 * No database runs here: the dialects' bounds are compiled by knex only.
 */
import knexModule from 'knex';
import { describe, expect, it } from 'vitest';
import type { SqlDialect } from '../../connectors/sql/dialect.js';
import { dmDialect } from '../../connectors/sql/dialects/dm/dialect.js';
import { mssqlDialect } from '../../connectors/sql/dialects/mssql/dialect.js';
import { mysqlDialect } from '../../connectors/sql/dialects/mysql/dialect.js';
import { oracleDialect } from '../../connectors/sql/dialects/oracle/dialect.js';
import { postgresDialect } from '../../connectors/sql/dialects/postgres/dialect.js';
import { sqliteDialect } from '../../connectors/sql/dialects/sqlite/dialect.js';
import type { ResolvedStream } from '../../connectors/sql/keyset.js';
import { unlaggedCursor } from '../../connectors/sql/lag-window.js';
import { column, cursorStream } from './lag-streams.js';

const db = knexModule({ client: 'pg' });
const stream = (cursorType: string, lagMs = 0): ResolvedStream =>
  cursorStream('T_SPXK_XKZ', column('ID', 'int'), column('GXSJ', cursorType), lagMs);
const warned = (dialect: SqlDialect, s: ResolvedStream) => unlaggedCursor(db, dialect, 'legacy', s) !== null;

describe('a stream read without a lag window', () => {
  it.each([
    ['postgres', postgresDialect, 'timestamp(6) without time zone'],
    ['postgres', postgresDialect, 'date'],
    ['mysql', mysqlDialect, 'datetime(6)'],
    ['mssql', mssqlDialect, 'datetime2'],
    ['mssql', mssqlDialect, 'datetimeoffset'],
    ['oracle', oracleDialect, 'DATE'],
    ['oracle', oracleDialect, 'TIMESTAMP(6)'],
    ['dm', dmDialect, 'DATETIME'],
  ])('is warned about on %s by a `%s` cursor', (_kind, dialect, type) => {
    expect(warned(dialect, stream(type))).toBe(true);
    expect(warned(dialect, stream(type, 5000))).toBe(false);
  });

  it.each([
    ['sqlite', sqliteDialect, 'TEXT'],
    ['sqlite', sqliteDialect, 'DATETIME'],
    ['mssql', mssqlDialect, 'timestamp'],
    ['mssql', mssqlDialect, 'rowversion'],
    ['postgres', postgresDialect, 'bigint'],
    ['oracle', oracleDialect, 'NUMBER(19)'],
  ])('is not warned about on %s by a `%s` cursor', (_kind, dialect, type) => {
    expect(warned(dialect, stream(type))).toBe(false);
  });

  it('is not warned about without a cursor', () => {
    const { cursor: _, ...keyOnly } = stream('timestamp');
    expect(warned(postgresDialect, keyOnly)).toBe(false);
  });

  it('names a query stream with lagMs 0, its cursor type unchecked, on a database with a lag bound only', () => {
    const query = { ...stream(''), table: 'licences', columns: [], query: { sql: 'SELECT 1', params: [] } };
    // DM cannot type a query's columns (no queryColumnTypes).
    expect(unlaggedCursor(db, dmDialect, 'legacy', query)?.message).toMatch(
      /^source legacy: query stream `licences` is read by cursor `GXSJ` with lagMs 0; the type of a query's cursor cannot be checked/,
    );
    expect(warned(sqliteDialect, query)).toBe(false);
    expect(warned(dmDialect, { ...query, lagMs: 5000 })).toBe(false);
    // Oracle types them (oracle/query-columns.ts): a DATE cursor is named, a NUMBER one is not.
    expect(warned(oracleDialect, { ...query, queryCursorType: 'DATE' })).toBe(true);
    expect(warned(oracleDialect, query)).toBe(false);
    // PostgreSQL types them: judged by the type, as a table stream's cursor.
    expect(warned(postgresDialect, { ...query, queryCursorType: 'timestamp without time zone' })).toBe(true);
    expect(warned(postgresDialect, { ...query, queryCursorType: 'integer' })).toBe(false);
  });
});
