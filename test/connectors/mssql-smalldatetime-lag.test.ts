/**
 * The lag window of a SQL Server stream whose cursor is SMALLDATETIME. SQL Server rounds such a
 * value to the nearest minute: a row written at 08:01:29 holds 08:01:00, and so does one written
 * at 08:00:30. The bound was `now - lagMs` as for any time: a read at 08:01:06 with a 5 s window
 * took the rows of 08:01:00 and ended there, and a row written at 08:01:20 — 08:01:00 too, with a
 * lower key (an update of an older license) — lay behind the checkpoint for good: the window meant
 * to keep it did not. A value stands for the half minute either side of it, so it is lagMs old once
 * the last instant it can stand for is: the bound is 30 s further back (as a DATE's is a whole day).
 *
 * No SQL Server runs here: the SQL is compiled by knex's mssql client.
 */
import knexModule from 'knex';
import { describe, expect, it } from 'vitest';
import { mssqlDialect } from '../../connectors/sql/dialects/mssql/dialect.js';
import { cursorPage } from '../../connectors/sql/keyset.js';
import { boundedReads, mssqlLagStream as stream } from './lag-streams.js';

const db = knexModule({ client: 'mssql', connection: {} });

const compiled = (q: { toSQL(): { toNative(): { sql: string; bindings: readonly unknown[] } } }) =>
  q.toSQL().toNative();

describe('mssql lag window against a SMALLDATETIME cursor', () => {
  it('bounds pages and keyless rows 30 s before now - lagMs', () => {
    for (const { sql, bindings } of boundedReads(db, mssqlDialect, stream('smalldatetime'))) {
      expect(sql).toMatch(
        /\[GXSJ\] <= DATEADD\(second, -30, DATEADD\(millisecond, @p(\d+), SYSDATETIME\(\)\)\)/,
      );
      const at = Number(/DATEADD\(millisecond, @p(\d+)/.exec(sql)?.[1]);
      expect(bindings[at]).toBe(-5000);
    }
  });

  it('takes no half minute off for cursors SQL Server keeps finer: datetime (1/300 s ticks) and datetime2(7)', () => {
    for (const type of ['datetime', 'datetime2(7)']) {
      const { sql } = compiled(cursorPage(db, mssqlDialect, stream(type), null, 5));
      expect(sql, type).toMatch(/\[GXSJ\] <= DATEADD\(millisecond, @p\d+, SYSDATETIME\(\)\)/);
    }
  });
});
