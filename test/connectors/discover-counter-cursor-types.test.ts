/**
 * Discovery asks the dialect which declared types a cursor is made of (discover.ts
 * `dialectCursorType`). SQL Server's `rowversion`, and its `timestamp`, which is one, are counters
 * (`settledBound`), not date/times: still suggested, as a time of day is still not. A dialect that
 * names neither (SQLite, whose declared types are free text) keeps the guess from the type's name.
 */
import knexModule from 'knex';
import { afterAll, describe, expect, it } from 'vitest';
import type { ColumnMeta } from '../../connectors/sql/dialect.js';
import { mssqlDialect } from '../../connectors/sql/dialects/mssql/dialect.js';
import { sqliteDialect } from '../../connectors/sql/dialects/sqlite/dialect.js';
import { dialectCursorType, tableInfo } from '../../connectors/sql/discover.js';

const column = (name: string, type: string, primaryKey = false): ColumnMeta => ({
  name,
  type,
  nullable: false,
  primaryKey,
  unique: primaryKey,
  leadsIndex: null,
});

describe('discovery by the dialect’s types', () => {
  const db = knexModule({ client: 'mssql' });
  afterAll(() => db.destroy());

  it('suggests SQL Server rowversion and timestamp counters and its date/times, not a time of day', () => {
    const info = tableInfo(
      'T_XK',
      [
        column('ID', 'int', true),
        column('BBH', 'rowversion'),
        column('BB', 'timestamp'),
        column('FZ', 'datetime2(7)'),
        column('KS', 'time(7)'),
        column('ZT', 'varchar(20)'),
      ],
      3,
      mssqlDialect.dateKeyTypes,
      dialectCursorType(db, mssqlDialect),
    );
    expect(info.candidateCursors).toEqual(['BBH', 'BB', 'FZ']);
  });

  it('guesses from the type’s name where the dialect names no type (SQLite)', () => {
    expect(dialectCursorType(db, sqliteDialect)).toBeUndefined();
    const info = tableInfo('t_xk', [column('id', 'INTEGER', true), column('bg', 'DATETIME')], 1);
    expect(info.candidateCursors).toEqual(['bg']);
  });
});
