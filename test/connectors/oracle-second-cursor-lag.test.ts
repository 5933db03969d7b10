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
import type { SqlDialect } from '../../connectors/sql/dialect.js';
import { dmDialect } from '../../connectors/sql/dialects/dm/dialect.js';
import { oracleDialect } from '../../connectors/sql/dialects/oracle/dialect.js';
import { boundedReads, oracleLagStream } from './lag-streams.js';

const db = knexModule({ client: 'oracledb', connection: {} });

/** The seconds each of a page's and the keyless rows' bounds lies back of the server's clock. */
function secondsBack(dialect: SqlDialect, type: string): number[] {
  return boundedReads(db, dialect, oracleLagStream(type)).map(({ sql, bindings }) => {
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
