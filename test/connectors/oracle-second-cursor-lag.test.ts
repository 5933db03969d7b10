/**
 * The lag window of an Oracle or DM stream whose cursor holds whole seconds (Oracle's DATE) or a
 * TIMESTAMP(p) / DATETIME(p) of fewer than six digits. `08:00:00` stands for a change made as late
 * as 08:00:00.999, and the bound took it as lagMs old once its own instant was: a row written at
 * 08:00:00.9 and committed inside the window, after a read took that second's rows, lay behind the
 * checkpoint with a lower key, passed over. The bound now lies one unit of the precision further
 * back (as a SQL Server SMALLDATETIME's lies 30 s back, mssql-smalldatetime-lag.test.ts).
 *
 * No Oracle or DM server runs here: the SQL and its bound values are knex's.
 */
import knexModule from 'knex';
import { describe, expect, it } from 'vitest';
import type { ColumnMeta, SqlDialect } from '../../connectors/sql/dialect.js';
import { dmDialect } from '../../connectors/sql/dialects/dm/dialect.js';
import { oracleDialect } from '../../connectors/sql/dialects/oracle/dialect.js';
import { cursorPage, keylessRows, type ResolvedStream } from '../../connectors/sql/keyset.js';

const col = (name: string, type: string): ColumnMeta => ({
  name,
  type,
  nullable: true,
  primaryKey: false,
  unique: false,
  leadsIndex: true,
});

const db = knexModule({ client: 'oracledb', connection: {} });
const stream = (cursorType: string, lagMs = 5000): ResolvedStream & { cursor: ColumnMeta } => ({
  table: 'SPXK.T_XKZ',
  columns: [col('ID', 'NUMBER(10,0)'), col('GXSJ', cursorType)],
  key: col('ID', 'NUMBER(10,0)'),
  cursor: col('GXSJ', cursorType),
  lagMs,
});

/** The seconds each of a page's and the keyless rows' bounds lies back of the server's clock. */
function secondsBack(dialect: SqlDialect, type: string, lagMs = 5000): number[] {
  const s = stream(type, lagMs);
  return [cursorPage(db, dialect, s, null, 5), keylessRows(db, dialect, s, {}, 5)].map((q) => {
    const { sql, bindings } = q.toSQL().toNative();
    const at = /"GXSJ" <= SYS(?:DATE|TIMESTAMP) - NUMTODSINTERVAL\(:(\d+), 'SECOND'\)/.exec(sql)?.[1];
    if (at === undefined) throw new Error(`no lag bound in ${sql}`);
    return bindings[Number(at) - 1] as number;
  });
}

describe('the lag bound of an Oracle or DM cursor of whole seconds', () => {
  it.each([
    ['Oracle', oracleDialect, 'DATE', 6],
    ['Oracle', oracleDialect, 'TIMESTAMP(0)', 6],
    ['Oracle', oracleDialect, 'TIMESTAMP(3)', 5.001],
    ['Oracle', oracleDialect, 'TIMESTAMP(0) WITH TIME ZONE', 6],
    ['DM', dmDialect, 'DATETIME(0)', 6],
    ['DM', dmDialect, 'TIMESTAMP(3)', 5.001],
  ] as const)('%s %s: lies one unit of its precision back of now - lagMs', (_, dialect, type, back) => {
    expect(secondsBack(dialect, type)).toEqual([back, back]);
  });

  it.each([
    ['Oracle', oracleDialect, 'TIMESTAMP(6)'],
    ['Oracle', oracleDialect, 'TIMESTAMP(9)'],
    ['DM', dmDialect, 'DATETIME(6)'],
  ] as const)('%s %s, to the microsecond: now - lagMs as before', (_, dialect, type) => {
    expect(secondsBack(dialect, type)).toEqual([5, 5]);
  });
});
