/**
 * Oracle NUMBER values past 2^53 (STANDARDS §6, "NUMBER precision"): an 18- or 20-digit licence
 * serial, a NUMBER(20) key. node-oracledb reads a NUMBER's bytes as its decimal text and, unless
 * the column is fetched as a string, hands over `parseFloat` of it: 9007199254740993 came as
 * 9007199254740992 and 12345678901234567890 as 12345678901234567000, another serial, and a key
 * whose checkpoint named another row. An Oracle source fetches NUMBER as text (dialect.ts
 * `fetchAsString`; that the driver keeps the setting is tested in oracle-source-tls) and the
 * dialect keeps every digit; a number a double holds is handed over as that number.
 *
 * No Oracle server runs here: the bytes are Oracle's NUMBER format as node-oracledb's own thin
 * driver writes and reads them, and the fetch types are the driver's own, from the source's setting.
 */
import { createRequire } from 'node:module';
import { describe, expect, it } from 'vitest';
import type { SqlDialect } from '../../connectors/sql/dialect.js';
import { oracleDialect } from '../../connectors/sql/dialects/oracle/dialect.js';
import { normaliseValue } from '../../connectors/sql/values.js';

const require = createRequire(import.meta.url);
const { GrowableBuffer } = require('oracledb/lib/impl/datahandlers/buffer.js') as {
  GrowableBuffer: new () => {
    pos: number;
    buf: Buffer;
    writeOracleNumber(text: string): void;
    parseOracleNumber(buf: Buffer): string;
  };
};
const settings = require('oracledb/lib/settings.js') as {
  fetchTypeMap: Map<unknown, unknown>;
  createFetchTypeMap(fetchAsString: unknown[], fetchAsBuffer: unknown[]): void;
};
const oracledb = require('oracledb') as Record<string, unknown>;

/** A NUMBER as the driver reads it off the wire: its text, from Oracle's own encoding. */
function driverText(text: string): string {
  const out = new GrowableBuffer();
  out.writeOracleNumber(text);
  const bytes = out.buf.subarray(0, out.pos);
  // writeOracleNumber writes the length byte first; the value's bytes follow.
  return new GrowableBuffer().parseOracleNumber(bytes.subarray(1));
}

const normalise = oracleDialect.normalise as NonNullable<SqlDialect['normalise']>;
const handedOver = (text: string, type: string) => normaliseValue(normalise(text, type), true);

const SERIALS = ['9007199254740993', '12345678901234567890', '-99999999999999999999999999999999999999'];

describe('oracle NUMBER past 2^53', () => {
  it('the driver reads its bytes as every digit; parseFloat, its default, does not', () => {
    for (const serial of SERIALS) {
      expect(driverText(serial)).toBe(serial);
      expect(String(Number.parseFloat(driverText(serial)))).not.toBe(serial);
    }
  });

  it('the source fetches NUMBER as text, which the driver maps to VARCHAR, never parseFloat', async () => {
    const config = await oracleDialect.knexConfig('market-food', {
      kind: 'oracle',
      connection: { host: 'db.example', database: 'ORCL', user: 'lic', password: 'pw' },
    } as never);
    const asString = (config as { fetchAsString?: string[] }).fetchAsString ?? [];
    expect(asString).toContain('number');
    const before = new Map(settings.fetchTypeMap);
    try {
      settings.createFetchTypeMap([oracledb.DB_TYPE_NUMBER], []);
      expect(settings.fetchTypeMap.get(oracledb.DB_TYPE_NUMBER)).toBe(oracledb.DB_TYPE_VARCHAR);
    } finally {
      settings.fetchTypeMap = before;
    }
  });

  it('is handed over with every digit, and one a double holds as that number', () => {
    for (const serial of SERIALS) expect(handedOver(driverText(serial), 'NUMBER(38)')).toBe(serial);
    expect(handedOver(driverText('9007199254740991'), 'NUMBER(20)')).toBe(9007199254740991);
    expect(handedOver(driverText('12345678901234567.25'), 'NUMBER(22,2)')).toBe('12345678901234567.25');
  });
});
