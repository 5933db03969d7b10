/**
 * A SQL Server `rowversion` (catalog type `timestamp`) cursor. SQL Server gives a row its
 * rowversion when the row is written, not when the transaction commits: a transaction still open
 * holds a lower value than rows other transactions have committed since. A page read then (under
 * READ_COMMITTED_SNAPSHOT, which does not wait for the open transaction's locks) ends past that
 * value, and the row, once committed, lies behind the checkpoint for good — an update or a
 * revocation never read. Pages now take only rows below MIN_ACTIVE_ROWVERSION(), the lowest
 * rowversion of a transaction still open; the rest wait for the next run.
 *
 * The lag window cannot guard such a cursor (a counter, not a time): `lagMs` was taken for it,
 * because `timestamp` reads as a date/time type, and every page compared the rowversion with a
 * datetime2, which SQL Server refuses (error 257). It is refused when the stream is resolved, as
 * for any counter cursor.
 *
 * No SQL Server runs here: the SQL is compiled by knex's mssql client.
 */
import knexModule from 'knex';
import { describe, expect, it } from 'vitest';
import type { SqlDialect } from '../../connectors/sql/dialect.js';
import { mssqlDialect } from '../../connectors/sql/dialects/mssql/dialect.js';
import { cursorPage, keylessRows } from '../../connectors/sql/keyset.js';
import { resolveStream } from '../../connectors/sql/resolve-stream.js';
import { column as col, cursorStream } from './lag-streams.js';

const db = knexModule({ client: 'mssql', connection: {} });
const stream = (cursorType: string) =>
  cursorStream('dbo.T_SPXK_XKZ', col('ID', 'int'), col('GX', cursorType));

const sqlOf = (q: { toSQL(): { toNative(): { sql: string } } }) => q.toSQL().toNative().sql;

describe('mssql rowversion cursor', () => {
  it('reads pages only below the lowest rowversion of a transaction still open', () => {
    const s = stream('timestamp');
    const after = { cursor: '0x00000000000007D1', key: '7' };
    for (const q of [cursorPage(db, mssqlDialect, s, null, 5), cursorPage(db, mssqlDialect, s, after, 5)]) {
      expect(sqlOf(q)).toMatch(/\[GX\] < MIN_ACTIVE_ROWVERSION\(\)/);
    }
  });

  it('holds back rows without a key above it too', () => {
    const s = stream('timestamp');
    const since = { cursor: '0x00000000000007D1', key: '7' };
    for (const q of [
      keylessRows(db, mssqlDialect, s, {}, 5),
      keylessRows(db, mssqlDialect, s, { since }, 5),
    ]) {
      expect(sqlOf(q)).toMatch(/\[GX\] < MIN_ACTIVE_ROWVERSION\(\)/);
    }
  });

  it('leaves date/time and other cursors unbounded without a lag window', () => {
    for (const type of ['datetime2(7)', 'datetime', 'int', 'varbinary(8)']) {
      expect(sqlOf(cursorPage(db, mssqlDialect, stream(type), null, 5)), type).not.toMatch(/MIN_ACTIVE/);
    }
  });

  it('refuses a lag window on it, before any page is read', async () => {
    const columns = [col('ID', 'int'), col('GX', 'timestamp')];
    const dialect: SqlDialect = {
      ...mssqlDialect,
      describeTable: async () => columns,
      listTables: async () => ['T_SPXK_XKZ'],
    };
    const spec = { table: 'dbo.T_SPXK_XKZ', key: 'ID', cursor: 'GX' };
    await expect(resolveStream(db, dialect, 'food', spec, 5000)).rejects.toMatchObject({
      code: 'LB_USAGE',
      message: expect.stringMatching(
        /lagMs needs a date\/time cursor: cursor `GX` of `dbo\.T_SPXK_XKZ` is `timestamp` \(a change counter,/,
      ),
    });
    // A version number is refused too, and not called a change counter.
    columns[1] = col('GX', 'bigint');
    await expect(resolveStream(db, dialect, 'food', spec, 5000)).rejects.toMatchObject({
      code: 'LB_USAGE',
      message: expect.stringMatching(/ is `bigint`; set lagMs: 0 for this stream$/),
    });
    // A datetime2 cursor keeps its lag window.
    columns[1] = col('GX', 'datetime2(7)');
    await expect(resolveStream(db, dialect, 'food', spec, 5000)).resolves.toMatchObject({ lagMs: 5000 });
  });
});
