/**
 * The SQL that asks SQL Server and Oracle for what they hold of a page's keys (key-cursors.ts
 * `keyGroups`): one row a stored key, with its row count and the MAX of its cursor taken of the
 * column itself, then made text as a page makes it. SQL Server groups by the key's bytes and their
 * count too, as its comparison takes `'K1 '` (and, case-insensitive, `'k1'`; under a Windows
 * collation `'K1' + NCHAR(0)`) for `'K1'`, and its varbinary comparison takes trailing zero bytes
 * for none. Oracle groups a character key by its bytes too (`NLSSORT(key, 'NLS_SORT = BINARY')`):
 * a 12.2+ column declared `COLLATE BINARY_CI` takes `'a1'` for `'A1'` whatever the session's
 * NLS_COMP, and license A1 gave way to a1's newer row. No server runs here: knex compiles without
 * a connection.
 */
import knexModule, { type Knex } from 'knex';
import { describe, expect, it } from 'vitest';
import type { ColumnMeta } from '../../connectors/sql/dialect.js';
import { mssqlDialect } from '../../connectors/sql/dialects/mssql/dialect.js';
import { oracleDialect } from '../../connectors/sql/dialects/oracle/dialect.js';
import { keyGroups } from '../../connectors/sql/key-cursors.js';
import type { ResolvedStream } from '../../connectors/sql/keyset.js';

const col = (name: string, type: string): ColumnMeta => ({
  name,
  type,
  nullable: false,
  primaryKey: false,
  unique: false,
  leadsIndex: true,
});

const native = (q: Knex.QueryBuilder) => q.toSQL().toNative();

describe("the newest cursor of a page's keys, grouped in the database", () => {
  it('SQL Server: groups by the key, its bytes and their count, the MAX of the DATETIME made text after', () => {
    const db = knexModule({ client: 'mssql', connection: {} });
    const s: ResolvedStream & { cursor: ColumnMeta } = {
      table: 'dbo.T_XKZ',
      columns: [],
      key: col('XKZH', 'varchar(30)'),
      cursor: col('GXSJ', 'datetime'),
    };
    expect(native(keyGroups(db, mssqlDialect, s, ['K1', 'K2']))).toEqual({
      sql: 'select [XKZH], [__lb_rows], [GXSJ], CONVERT(varchar(40), [GXSJ], 121) AS [__lb_cursor_text] from (select [XKZH], COUNT(*) AS [__lb_rows], MAX([GXSJ]) AS [GXSJ] from [dbo].[T_XKZ] where [XKZH] in (CAST(@p0 AS varchar(30)), CAST(@p1 AS varchar(30))) group by [XKZH], CAST([XKZH] AS varbinary(max)), DATALENGTH([XKZH])) lb_g',
      bindings: ['K1', 'K2'],
    });
  });

  const oracleStream = (key: ColumnMeta): ResolvedStream & { cursor: ColumnMeta } => ({
    table: 'SPXK.T_XKZ',
    columns: [],
    key,
    cursor: col('GXSJ', 'TIMESTAMP(6)'),
  });

  it('Oracle: groups a character key by its bytes beside it, the subquery named without AS, the MAX of the TIMESTAMP made text after', () => {
    const db = knexModule({ client: 'oracledb', connection: {} });
    const { sql, bindings } = native(
      keyGroups(db, oracleDialect, oracleStream(col('XKZH', 'VARCHAR2(30)')), ['K1']),
    );
    expect(sql).toBe(
      `select "XKZH", "__lb_rows", TO_CHAR("GXSJ", 'SYYYY-MM-DD HH24:MI:SS.FF9') AS "GXSJ", TO_CHAR("GXSJ", 'YYYY-MM-DD HH24:MI:SS.FF9') AS "__lb_cursor_text" from (select "XKZH", COUNT(*) AS "__lb_rows", MAX("GXSJ") AS "GXSJ" from "SPXK"."T_XKZ" where "XKZH" in (:1) group by "XKZH", NLSSORT("XKZH", 'NLS_SORT = BINARY')) lb_g`,
    );
    expect(bindings).toEqual(['K1']);
  });

  it.each([
    ['CHAR(18)', true],
    ['NVARCHAR2(30)', true],
    ['NCHAR(10)', true],
    ['', true],
    ['NUMBER(10,0)', false],
    ['RAW(16)', false],
  ])('Oracle: a key of type %j grouped by its bytes: %s', (type, bytes) => {
    const db = knexModule({ client: 'oracledb', connection: {} });
    const { sql } = native(keyGroups(db, oracleDialect, oracleStream(col('XKZH', type)), ['K1']));
    const groupBy = sql.slice(sql.indexOf('group by'));
    expect(groupBy).toBe(
      bytes ? `group by "XKZH", NLSSORT("XKZH", 'NLS_SORT = BINARY')) lb_g` : 'group by "XKZH") lb_g',
    );
  });
});
