/**
 * Which declared types each dialect takes for a date/time cursor (dialect.ts `dateTimeTypes`, read
 * by resolve-stream.ts `cursorLag`), spelt as each catalog spells them: a date/time is bounded by
 * the database's clock and takes a lag window; a type whose name merely holds `date` or `time` — an
 * enum or object type of the user's, a MySQL ENUM whose members name one, an interval, a time of
 * day — is no date/time, and SQL Server's `timestamp` is a rowversion counter.
 */
import knex from 'knex';
import { describe, expect, it } from 'vitest';
import type { ColumnMeta, SqlDialect } from '../../connectors/sql/dialect.js';
import { dmDialect } from '../../connectors/sql/dialects/dm/dialect.js';
import { kingbaseDialect } from '../../connectors/sql/dialects/kingbase/dialect.js';
import { mssqlDialect } from '../../connectors/sql/dialects/mssql/dialect.js';
import { mysqlDialect } from '../../connectors/sql/dialects/mysql/dialect.js';
import { oracleDialect } from '../../connectors/sql/dialects/oracle/dialect.js';
import { postgresDialect } from '../../connectors/sql/dialects/postgres/dialect.js';
import { cursorLag } from '../../connectors/sql/resolve-stream.js';

const db = knex({ client: 'pg' });

const lagOf = (dialect: SqlDialect, type: string) => {
  const cursor: ColumnMeta = {
    name: 'GXSJ',
    type,
    nullable: true,
    primaryKey: false,
    unique: false,
    leadsIndex: null,
  };
  return cursorLag(db, dialect, cursor);
};

const cases: [string, SqlDialect, string[], string[]][] = [
  [
    'postgres',
    postgresDialect,
    [
      'date',
      'timestamp without time zone',
      'timestamp(3) without time zone',
      'timestamp with time zone',
      'timestamp(0) with time zone',
    ],
    [
      'update_stage',
      'daterange',
      'tstzrange',
      'timestamp without time zone[]',
      'interval',
      'time without time zone',
      'text',
    ],
  ],
  [
    'kingbase',
    kingbaseDialect,
    ['date', 'timestamp(6) without time zone', 'timestamp with time zone'],
    ['update_stage', 'interval'],
  ],
  [
    'mysql',
    mysqlDialect,
    ['date', 'datetime', 'datetime(6)', 'timestamp', 'timestamp(3)'],
    ["enum('new','updated','closed')", "set('date','time')", 'time', 'time(6)', 'year', 'varchar(20)'],
  ],
  [
    'mssql',
    mssqlDialect,
    ['date', 'datetime', 'smalldatetime', 'datetime2(7)', 'datetime2(0)', 'datetimeoffset(7)'],
    ['time(7)', 'hierarchyid', 'UpdTime', 'nvarchar(128)'],
  ],
  [
    'oracle',
    oracleDialect,
    ['DATE', 'TIMESTAMP(6)', 'TIMESTAMP(0) WITH TIME ZONE', 'TIMESTAMP(6) WITH LOCAL TIME ZONE', 'TIMESTAMP'],
    ['INTERVAL DAY(2) TO SECOND(6)', 'INTERVAL YEAR(2) TO MONTH', 'T_UPDATE_TIME', 'VARCHAR2(20)'],
  ],
  [
    'dm',
    dmDialect,
    [
      'DATE',
      'DATETIME',
      'DATETIME(6)',
      'TIMESTAMP(3)',
      'DATETIME WITH TIME ZONE',
      'TIMESTAMP WITH LOCAL TIME ZONE',
    ],
    ['TIME', 'TIME WITH TIME ZONE', 'INTERVAL DAY TO SECOND', 'T_UPDATE_TIME'],
  ],
];

describe('a cursor type taken for a date/time', () => {
  it.each(cases)('%s names its own date/time types and nothing else', (_, dialect, timed, other) => {
    expect(timed.map((t) => [t, lagOf(dialect, t)])).toEqual(timed.map((t) => [t, 'date/time']));
    expect(other.map((t) => [t, lagOf(dialect, t)])).toEqual(other.map((t) => [t, 'other']));
  });

  it("SQL Server's timestamp is a rowversion counter", () => {
    expect(lagOf(mssqlDialect, 'timestamp')).toBe('counter');
  });
});
