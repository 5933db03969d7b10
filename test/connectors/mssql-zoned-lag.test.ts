/**
 * The lag window of a SQL Server stream whose cursor is DATETIMEOFFSET. The bound was
 * `DATEADD(millisecond, -lag, SYSDATETIME())`, a datetime2: compared with a DATETIMEOFFSET column,
 * SQL Server converts it with the offset +00:00, so the server's local wall clock was read as UTC.
 * On a server at +08:00 the bound lay eight hours ahead of now, and a row committing during a read
 * passed it: no lag window at all, and the boundary race it guards against could skip that row for
 * good. SYSDATETIMEOFFSET() is the same instant as the column's. A zone-less cursor keeps
 * SYSDATETIME(), the server's wall clock its values are written in.
 *
 * No SQL Server runs here: the SQL is compiled by knex's mssql client.
 */
import knexModule from 'knex';
import { describe, expect, it } from 'vitest';
import { mssqlDialect } from '../../connectors/sql/dialects/mssql/dialect.js';
import { cursorPage } from '../../connectors/sql/keyset.js';
import { boundedReads, mssqlLagStream as stream } from './lag-streams.js';

const db = knexModule({ client: 'mssql', connection: {} });

describe('mssql lag window against a DATETIMEOFFSET cursor', () => {
  it('bounds pages and keyless rows by SYSDATETIMEOFFSET(), the instant the column holds', () => {
    for (const { sql } of boundedReads(db, mssqlDialect, stream('datetimeoffset(7)'))) {
      expect(sql).toMatch(/\[GXSJ\] <= DATEADD\(millisecond, @p\d+, SYSDATETIMEOFFSET\(\)\)/);
    }
  });

  it('keeps SYSDATETIME() for a zone-less cursor', () => {
    const { sql } = cursorPage(db, mssqlDialect, stream('datetime2(7)'), null, 5).toSQL().toNative();
    expect(sql).toMatch(/\[GXSJ\] <= DATEADD\(millisecond, @p\d+, SYSDATETIME\(\)\)/);
  });
});
