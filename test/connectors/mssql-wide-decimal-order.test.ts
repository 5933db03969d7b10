/**
 * SQL Server keys and cursors declared DECIMAL/NUMERIC wider than 15 digits — `numeric(18,0)
 * IDENTITY`, the key of countless legacy tables — are selected as text so tedious cannot round
 * them: `CAST([ID] AS varchar(50)) AS [ID]`. SQL Server resolves an ORDER BY name against the
 * select list's aliases first, so `ORDER BY [ID]` sorted that text ('1', '10', '11', …, '2') while
 * the keyset predicate `[ID] > CAST(@p AS numeric(18,0))` compares numbers: a page of 1..20 in
 * pages of 5 read 1, 10-13, then 14-18, 19, 20, and never 2-9. The newest cursor of a repeated key
 * came out of the same text order ('9' after '10'); it is now the column's MAX, made text after.
 * Qualified by the table's name, ORDER BY names the column (SQL Server 2005+). Key listings select
 * the key as text as pages do: tedious handed numeric(18,0) keys over as doubles, rounded past 2^53.
 *
 * No SQL Server runs here: what is checked is the SQL the dialect sends through knex's mssql
 * client, and through tedious' Request to a stand-in connection for the key look-up.
 */
import knexModule, { type Knex } from 'knex';
import type { Request } from 'tedious';
import { describe, expect, it } from 'vitest';
import type { ColumnMeta } from '../../connectors/sql/dialect.js';
import { mssqlDialect } from '../../connectors/sql/dialects/mssql/dialect.js';
import { newestOfKeys } from '../../connectors/sql/key-cursors.js';
import {
  cursorPage,
  keyChunk,
  keyOnlyPage,
  nullCursorPage,
  type ResolvedStream,
} from '../../connectors/sql/keyset.js';

const col = (name: string, type: string, primaryKey = false): ColumnMeta => ({
  name,
  type,
  nullable: !primaryKey,
  primaryKey,
  unique: primaryKey,
  leadsIndex: true,
});

const db = knexModule({ client: 'mssql', connection: {} });
const sqlOf = (q: Knex.QueryBuilder) => q.toSQL().toNative().sql;

const id = col('ID', 'numeric(18,0)', true);
const version = col('BBH', 'numeric(20,0)');
const stream: ResolvedStream & { cursor: ColumnMeta } = {
  table: 'dbo.T_SPXK_XKZ',
  columns: [id, col('MC', 'nvarchar(50)'), version],
  key: id,
  cursor: version,
};

describe('mssql: wide DECIMAL keys and cursors, selected as text, ordered as numbers', () => {
  it('orders key pages by the column, not by the text alias that shadows it', () => {
    const sql = sqlOf(keyOnlyPage(db, mssqlDialect, stream, '13', 5));
    expect(sql).toContain('CAST([ID] AS varchar(50)) AS [ID]');
    expect(sql).toContain('[ID] > CAST(@p1 AS numeric(18,0))');
    expect(sql).toMatch(/order by \[T_SPXK_XKZ\]\.\[ID\] asc$/);
  });

  it('orders cursor pages and the NULL-cursor phase by the columns', () => {
    const page = sqlOf(cursorPage(db, mssqlDialect, stream, { cursor: '9', key: '13' }, 5));
    expect(page).toMatch(/order by \[T_SPXK_XKZ\]\.\[BBH\] asc, \[T_SPXK_XKZ\]\.\[ID\] asc$/);
    expect(sqlOf(nullCursorPage(db, mssqlDialect, stream, '13', 5))).toMatch(
      /order by \[T_SPXK_XKZ\]\.\[ID\] asc$/,
    );
  });

  it('lists keys as text, ordered by the column', () => {
    const sql = sqlOf(keyChunk(db, mssqlDialect, stream, '13', 1000));
    expect(sql).toContain('CAST([ID] AS varchar(50)) AS [ID]');
    expect(sql).toMatch(/order by \[T_SPXK_XKZ\]\.\[ID\] asc$/);
  });

  it('asks for the newest cursor of repeated keys in the cursor column order', async () => {
    const sent: string[] = [];
    const lookup = knexModule({ client: 'mssql', connection: {} });
    const client = lookup.client as {
      acquireConnection(): Promise<unknown>;
      releaseConnection(): Promise<void>;
    };
    client.acquireConnection = async () => ({
      state: { name: 'LoggedIn' },
      execSql(request: Request & { sqlTextOrProcedure: string }) {
        sent.push(request.sqlTextOrProcedure);
        (request as unknown as { callback(err: undefined, rowCount: number): void }).callback(undefined, 0);
      },
    });
    client.releaseConnection = async () => undefined;
    const notUnique = { ...stream, key: { ...id, primaryKey: false, unique: false } };
    await newestOfKeys(lookup, mssqlDialect, notUnique, ['13', '14']);
    expect(sent).toHaveLength(1);
    // The newest of the column's numbers, selected as text only once taken.
    expect(sent[0]).toContain('MAX([BBH]) AS [BBH] from [dbo].[T_SPXK_XKZ]');
    expect(sent[0]).toMatch(
      /^select CAST\(\[ID\] AS varchar\(50\)\) AS \[ID\], \[__lb_rows\], CAST\(\[BBH\] AS varchar\(50\)\) AS \[BBH\], .* from \(select \[ID\], /,
    );
  });
});
