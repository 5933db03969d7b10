/**
 * Oracle BINARY_DOUBLE and BINARY_FLOAT, and DM's REAL, FLOAT and DOUBLE, as cursors and keys. The
 * cursor's checkpoint was the server's text of the value (Oracle `TO_CHAR(col)` without a format,
 * DM `CAST(col AS VARCHAR(128))`), at a precision neither documents for a binary float: where it
 * prints fewer digits than tell two floats apart (SQL Server prints six), a page's checkpoint names
 * another value and rows at its end are passed over or read again. The checkpoint is now the text of
 * the number the driver decodes from the stored bytes — node-oracledb (a fetch type handler making
 * it the same in thin and thick mode) and dmdb alike — the shortest text that reads back as that
 * number, and it is bound back as the float itself (`TO_BINARY_DOUBLE`, `TO_BINARY_FLOAT`, DM
 * `CAST(? AS DOUBLE)`).
 *
 * No Oracle or DM server runs here: the SQL is compiled by knex, and node-oracledb's own code
 * decides the column's fetch (ResultSetImpl._determineFetchType) and decodes the stored bytes.
 */
import { createRequire } from 'node:module';
import knexModule from 'knex';
import { describe, expect, it } from 'vitest';
import type { SourceConfig } from '../../config/types.js';
import type { ColumnMeta } from '../../connectors/sql/dialect.js';
import { dmDialect } from '../../connectors/sql/dialects/dm/dialect.js';
import { oracleDialect } from '../../connectors/sql/dialects/oracle/dialect.js';
import { sourceFetchTypeHandler } from '../../connectors/sql/dialects/oracle/session-formats.js';
import { cursorTextOf, storedKeyOf } from '../../connectors/sql/key-cursors.js';
import { cursorPage, keyOnlyPage, type ResolvedStream } from '../../connectors/sql/keyset.js';
import { nextUp } from './float-runs.js';

const require = createRequire(import.meta.url);
type Oracledb = Parameters<typeof sourceFetchTypeHandler>[0] & Record<string, unknown>;
const oracledb = require('oracledb') as Oracledb;
const ResultSetImpl = require('oracledb/lib/impl/resultset.js') as new () => {
  _determineFetchType(metadata: Column, options: object, all: Column[]): void;
};
const { BaseBuffer } = require('oracledb/lib/impl/datahandlers/buffer.js') as {
  BaseBuffer: { prototype: { parseBinaryDouble(b: Buffer): number; parseBinaryFloat(b: Buffer): number } };
};

interface Column {
  name: string;
  dbType: unknown;
  fetchType?: unknown;
  converter?: (value: unknown) => unknown;
}

const col = (name: string, type: string): ColumnMeta => ({
  name,
  type,
  nullable: false,
  primaryKey: false,
  unique: false,
  leadsIndex: true,
});

/** A stored BINARY_DOUBLE or BINARY_FLOAT as Oracle sends it: sign bit set, or every bit flipped below zero. */
function oracleBytes(value: number, single: boolean): Buffer {
  const b = Buffer.alloc(single ? 4 : 8);
  if (single) b.writeFloatBE(value);
  else b.writeDoubleBE(value);
  if (b[0] !== undefined && b[0] & 0x80) for (let i = 0; i < b.length; i++) b[i] = ~(b[i] as number) & 0xff;
  else b[0] = (b[0] as number) | 0x80;
  return b;
}

/** A value of `dbType` as an Oracle source's statement fetches it: the driver's fetch decision and converter. */
function fetched(dbType: unknown, value: number, single: boolean): unknown {
  const column: Column = { name: 'GX', dbType };
  new ResultSetImpl()._determineFetchType(column, { fetchTypeHandler: sourceFetchTypeHandler(oracledb) }, [
    column,
  ]);
  // Fetched as the float itself, not as text the client library makes.
  expect(column.fetchType).toBe(dbType);
  const bytes = oracleBytes(value, single);
  const decoded = single
    ? BaseBuffer.prototype.parseBinaryFloat(bytes)
    : BaseBuffer.prototype.parseBinaryDouble(bytes);
  return column.converter ? column.converter(decoded) : decoded;
}

const sqlOf = (q: { toSQL(): { toNative(): { sql: string; bindings: readonly unknown[] } } }) =>
  q.toSQL().toNative();

describe('oracle BINARY_DOUBLE and BINARY_FLOAT cursors and keys', () => {
  const db = knexModule({ client: 'oracledb' });
  const table = (type: string): ResolvedStream & { cursor: ColumnMeta } => ({
    table: 'SPXK.T_GX',
    columns: [col('ID', 'NUMBER(10,0)'), col('GX', type)],
    key: col('ID', 'NUMBER(10,0)'),
    cursor: col('GX', type),
  });

  it('fetches them as the stored number and writes its exact text, in thin and thick mode alike', () => {
    for (const v of [0.1 + 0.2, 0.3, 1e-300, nextUp(1e-300), 123456789.12345679, -2.5]) {
      const text = fetched(oracledb.DB_TYPE_BINARY_DOUBLE, v, false);
      expect(text).toBe(String(v));
      expect(Number(text)).toBe(v);
    }
    for (const v of [0.1, 123456.789, 16777218, -2.5]) {
      const text = fetched(oracledb.DB_TYPE_BINARY_FLOAT, v, true);
      // The single widened to a double: its text reads back as that very single.
      expect(Math.fround(Number(text))).toBe(Math.fround(v));
      expect(Number(text)).toBe(Math.fround(v));
    }
    expect(fetched(oracledb.DB_TYPE_BINARY_DOUBLE, Number.POSITIVE_INFINITY, false)).toBe('INF');
    expect(fetched(oracledb.DB_TYPE_BINARY_DOUBLE, Number.NEGATIVE_INFINITY, false)).toBe('-INF');
  });

  it('takes a table stream cursor checkpoint from that text and binds it back as the float itself', () => {
    for (const [type, bind] of [
      ['BINARY_DOUBLE', 'TO_BINARY_DOUBLE'],
      ['BINARY_FLOAT', 'TO_BINARY_FLOAT'],
    ] as const) {
      const s = table(type);
      const { sql, bindings } = sqlOf(
        cursorPage(db, oracleDialect, s, { cursor: '0.30000000000000004', key: '7' }, 2),
      );
      expect(sql, type).not.toContain('__lb_cursor_text');
      expect(sql, type).toContain(`("GX" > ${bind}(:1) or ("GX" = ${bind}(:2) and "ID" > TO_NUMBER(:3)))`);
      expect(bindings.slice(0, 3)).toEqual(['0.30000000000000004', '0.30000000000000004', '7']);
      const row = { ID: 7, GX: '0.30000000000000004' };
      expect(cursorTextOf(oracleDialect, s, row)).toBe('0.30000000000000004');
    }
  });

  it('binds a BINARY_DOUBLE key back as the float itself', () => {
    const s: ResolvedStream = {
      table: 'SPXK.T_K',
      columns: [col('ID', 'BINARY_DOUBLE')],
      key: col('ID', 'BINARY_DOUBLE'),
    };
    expect(storedKeyOf(oracleDialect, s, { ID: '1e-300' })).toBe('1e-300');
    const { sql, bindings } = sqlOf(keyOnlyPage(db, oracleDialect, s, '1e-300', 2));
    expect(sql).toContain('"ID" > TO_BINARY_DOUBLE(:1)');
    expect(bindings[0]).toBe('1e-300');
  });

  it('keeps NUMBER and FLOAT(p), decimal types, in TM9 text', () => {
    for (const type of ['NUMBER', 'FLOAT']) {
      const { sql } = sqlOf(cursorPage(db, oracleDialect, table(type), null, 2));
      expect(sql).toContain(`TO_CHAR("GX", 'TM9') AS "__lb_cursor_text"`);
    }
  });
});

describe('dm REAL, FLOAT and DOUBLE cursors and keys', () => {
  const config: SourceConfig = { kind: 'dm', connection: { host: 'dm.example' }, trim: 'all', pageSize: 500 };

  it('takes the cursor checkpoint from the number dmdb decodes and binds it back as a double', async () => {
    const db = knexModule(await dmDialect.knexConfig('dm-src', config));
    for (const type of ['REAL', 'FLOAT', 'DOUBLE', 'DOUBLE PRECISION']) {
      const s: ResolvedStream & { cursor: ColumnMeta } = {
        table: 'SPXK.T_GX',
        columns: [col('ID', 'BIGINT'), col('GX', type)],
        key: col('ID', 'BIGINT'),
        cursor: col('GX', type),
      };
      const { sql } = sqlOf(cursorPage(db, dmDialect, s, { cursor: '0.10000000149011612', key: '7' }, 2));
      expect(sql, type).not.toContain('VARCHAR(128)');
      expect(sql, type).toContain(
        `("GX" > CAST(:1 AS DOUBLE) or ("GX" = CAST(:2 AS DOUBLE) and "ID" > TO_NUMBER(:3)))`,
      );
      expect(cursorTextOf(dmDialect, s, { ID: 7, GX: '0.10000000149011612' })).toBe('0.10000000149011612');
    }
    await db.destroy();
  });
});
