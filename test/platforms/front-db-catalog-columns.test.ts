/**
 * The column list an Oracle front database's exchange table is checked against (widths of
 * DATA_SOURCE, BATCH_NO and EXCHANGE_TIME, and whether EXCHANGE_TIME is a date): read where the
 * writes go. knex's own lookup read ALL_TAB_COLUMNS by table name alone, every same-named table
 * the user may see merged, so another schema's narrow BATCH_NO refused a fitting table. No Oracle
 * server runs in the tests: the statement as knex compiles it shows the owner. SQL Server: knex read
 * schema dbo for an unqualified name, where the writes go to the user's default schema first.
 */
import knexModule from 'knex';
import { describe, expect, it } from 'vitest';
import { catalogColumnsQuery } from '../../adapters/platforms/front-db/exchange-columns.js';

const k = knexModule({ client: 'oracledb' });

describe('front-db on Oracle: the exchange table columns looked up', () => {
  it("reads a schema-qualified table's columns in that schema only", () => {
    const sql = catalogColumnsQuery(k, 'oracle', 'qzk.UP_LIC_DATA')?.toSQL();
    expect(sql?.sql).toMatch(/from "ALL_TAB_COLUMNS" where "TABLE_NAME" = \? and OWNER = \?/);
    expect(sql?.bindings).toEqual(['UP_LIC_DATA', 'qzk']);
  });

  it("reads an unqualified table's columns in the session's schema only", () => {
    const sql = catalogColumnsQuery(k, 'oracle', 'UP_LIC_DATA')?.toSQL();
    expect(sql?.sql).toContain(`OWNER = SYS_CONTEXT('USERENV', 'CURRENT_SCHEMA')`);
    expect(sql?.bindings).toEqual(['UP_LIC_DATA']);
    expect(sql?.sql).toMatch(/"CHAR_LENGTH" "maxLength"/);
  });
});

describe('front-db on SQL Server: the exchange table columns looked up', () => {
  const mssql = knexModule({ client: 'mssql' });

  it("reads an unqualified table's columns in the schema the name resolves to, not dbo", () => {
    const sql = catalogColumnsQuery(mssql, 'mssql', 'UP_LIC_DATA')?.toSQL();
    expect(sql?.sql).toContain('TABLE_SCHEMA = OBJECT_SCHEMA_NAME(OBJECT_ID(QUOTENAME(?)))');
    expect(sql?.sql).not.toContain('dbo');
    expect(sql?.bindings).toEqual(['UP_LIC_DATA', 'UP_LIC_DATA']);
  });

  it("reads a schema-qualified table's columns in that schema", () => {
    const sql = catalogColumnsQuery(mssql, 'mssql', 'qzk.UP_LIC_DATA')?.toSQL();
    expect(sql?.sql).toMatch(
      /from \[INFORMATION_SCHEMA\]\.\[COLUMNS\] where \[TABLE_NAME\] = \? and TABLE_SCHEMA = \?/,
    );
    expect(sql?.bindings).toEqual(['UP_LIC_DATA', 'qzk']);
  });
});
