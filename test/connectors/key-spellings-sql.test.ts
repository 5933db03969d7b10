/**
 * The SQL that asks SQL Server and Oracle which spellings they hold of a page's padded keys
 * trimmed (key-cursors.ts `keySpellings`, padded-keys.ts): one row a stored spelling, grouped by
 * the key and its bytes, never every row of a key a legacy table holds thousands of times. No
 * server runs here: knex compiles without a connection.
 */
import knexModule, { type Knex } from 'knex';
import { describe, expect, it } from 'vitest';
import type { ColumnMeta } from '../../connectors/sql/dialect.js';
import { mssqlDialect } from '../../connectors/sql/dialects/mssql/dialect.js';
import { oracleDialect } from '../../connectors/sql/dialects/oracle/dialect.js';
import { keySpellings } from '../../connectors/sql/key-cursors.js';
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

describe("the stored spellings of a page's padded keys, grouped in the database", () => {
  it('SQL Server: grouped by the key, its bytes and their count', () => {
    const db = knexModule({ client: 'mssql', connection: {} });
    const s: ResolvedStream = { table: 'dbo.T_XKZ', columns: [], key: col('XKZH', 'varchar(30)') };
    expect(native(keySpellings(db, mssqlDialect, s, ['K1', 'K2']))).toEqual({
      sql: 'select [XKZH] from (select [XKZH] from [dbo].[T_XKZ] where [XKZH] in (CAST(@p0 AS varchar(30)), CAST(@p1 AS varchar(30))) group by [XKZH], CAST([XKZH] AS varbinary(max)), DATALENGTH([XKZH])) lb_g',
      bindings: ['K1', 'K2'],
    });
  });

  it('Oracle: a character key grouped by its bytes beside it, the subquery named without AS', () => {
    const db = knexModule({ client: 'oracledb', connection: {} });
    const s: ResolvedStream = { table: 'SPXK.T_XKZ', columns: [], key: col('XKZH', 'VARCHAR2(30)') };
    expect(native(keySpellings(db, oracleDialect, s, ['K1']))).toEqual({
      sql: `select "XKZH" from (select "XKZH" from "SPXK"."T_XKZ" where "XKZH" in (:1) group by "XKZH", NLSSORT("XKZH", 'NLS_SORT = BINARY')) lb_g`,
      bindings: ['K1'],
    });
  });
});
