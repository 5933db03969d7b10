/**
 * A query stream's DATE and TIMESTAMP in node-oracledb's thin mode (the default). Thin mode fetches
 * them as Dates it builds in the host's zone whatever type a fetch type handler asks for, and a
 * handler asking for text gets that Date's `toString()` (oracledb/lib/impl/resultset.js): not the
 * server's text in the session's format, which only thick mode's client library makes. The
 * statements' handler asked for text in both modes, and a query stream's dates reached the
 * mappings as `Sat Jun 01 1940 01:00:00 GMT+0900 (China Standard Time)`.
 *
 * No Oracle server runs here: the driver's own code decides each column's fetch and converter
 * (ResultSetImpl._determineFetchType) and decodes the stored bytes (parseOracleDate), as a thin
 * connection does with what the server sends.
 */
import { createRequire } from 'node:module';
import { afterEach, describe, expect, it } from 'vitest';
import { oracleDialect } from '../../connectors/sql/dialects/oracle/dialect.js';
import { sourceFetchTypeHandler } from '../../connectors/sql/dialects/oracle/session-formats.js';

const require = createRequire(import.meta.url);
type Oracledb = Parameters<typeof sourceFetchTypeHandler>[0] & { thin: boolean };
const oracledb = require('oracledb') as Oracledb;
const ResultSetImpl = require('oracledb/lib/impl/resultset.js') as new () => {
  _determineFetchType(metadata: Column, options: object, all: Column[]): void;
};
const { BaseBuffer } = require('oracledb/lib/impl/datahandlers/buffer.js') as {
  BaseBuffer: { prototype: { parseOracleDate(bytes: Buffer, useLocalTime?: boolean): Date } };
};

interface Column {
  name: string;
  dbType: unknown;
  converter?: (value: unknown) => unknown;
}

const zoneBefore = process.env.TZ;
afterEach(() => {
  if (zoneBefore === undefined) delete process.env.TZ;
  else process.env.TZ = zoneBefore;
});

/** A stored DATE or TIMESTAMP as a thin connection hands it to the caller, then normalised. */
function readThin(
  dbType: unknown,
  fields: [number, number, number, number, number, number, number],
): unknown {
  const [y, mo, d, h, mi, s, ms] = fields;
  const column = { name: 'C', dbType } as Column;
  new ResultSetImpl()._determineFetchType(column, { fetchTypeHandler: sourceFetchTypeHandler(oracledb) }, [
    column,
  ]);
  const bytes = Buffer.alloc(11);
  Buffer.from([Math.floor(y / 100) + 100, (y % 100) + 100, mo, d, h + 1, mi + 1, s + 1]).copy(bytes);
  bytes.writeUInt32BE(ms * 1_000_000, 7);
  const decoded = BaseBuffer.prototype.parseOracleDate(bytes, true);
  const convert = column.converter;
  const fetched = convert ? convert(decoded) : decoded;
  return oracleDialect.normalise?.(fetched, undefined);
}

describe('oracle query streams in thin mode: DATE and TIMESTAMP', () => {
  it('are the stored wall clock as a Date, on any host zone', () => {
    expect(oracledb.thin).toBe(true);
    for (const zone of ['UTC', 'Asia/Shanghai', 'America/New_York']) {
      process.env.TZ = zone;
      const date = readThin(oracledb.DB_TYPE_DATE, [2024, 3, 1, 8, 0, 5, 0]);
      const timestamp = readThin(oracledb.DB_TYPE_TIMESTAMP, [2023, 12, 31, 23, 59, 59, 123]);
      expect(date, zone).toEqual(new Date('2024-03-01T08:00:05.000Z'));
      expect(timestamp, zone).toEqual(new Date('2023-12-31T23:59:59.123Z'));
    }
  });
});
