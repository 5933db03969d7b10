/**
 * The lag window of a SQL Server stream whose cursor is a DATETIME2(p) or DATETIMEOFFSET(p) of
 * fewer than seven digits. SQL Server rounds such a value to p digits as it stores it: at p 0,
 * `08:00:00` stands for a change made as late as 08:00:00.5. The bound took it as lagMs old once
 * its own instant was: a row written at 08:00:00.4 and committed inside the window, after a read
 * took that second's rows, lay behind the checkpoint with a lower key. The bound now lies one unit
 * of p further back (a SMALLDATETIME's lies 30 s back, mssql-smalldatetime-lag.test.ts).
 *
 * No SQL Server runs here: the SQL and its bound values are knex's mssql client's.
 */
import knexModule from 'knex';
import { describe, expect, it } from 'vitest';
import { mssqlDialect } from '../../connectors/sql/dialects/mssql/dialect.js';
import { boundedReads, mssqlLagStream } from './lag-streams.js';

const db = knexModule({ client: 'mssql', connection: {} });

/** The milliseconds each of a page's and the keyless rows' bounds is moved from the clock. */
function millisecondsMoved(type: string): number[] {
  return boundedReads(db, mssqlDialect, mssqlLagStream(type)).map(({ sql, bindings }) => {
    const at = /\[GXSJ\] <= DATEADD\(millisecond, @p(\d+), SYS(?:DATETIME|DATETIMEOFFSET)\(\)\)/.exec(
      sql,
    )?.[1];
    if (at === undefined) throw new Error(`no lag bound in ${sql}`);
    return bindings[Number(at)] as number;
  });
}

describe('mssql lag window against a DATETIME2 or DATETIMEOFFSET cursor of fewer than seven digits', () => {
  it.each([
    ['datetime2(0)', -6000],
    ['datetimeoffset(0)', -6000],
    ['datetime2(2)', -5010],
    ['datetime2(3)', -5001],
    ['datetime2(6)', -5001],
  ])('%s: lies one unit of its precision back of now - lagMs', (type, moved) => {
    expect(millisecondsMoved(type)).toEqual([moved, moved]);
  });

  it('datetime2(7): now - lagMs as before', () => {
    expect(millisecondsMoved('datetime2(7)')).toEqual([-5000, -5000]);
  });
});
