/**
 * A SQL Server DATETIME2(7) or DATETIMEOFFSET(7) holds ticks of 100 ns. tedious hands the value
 * over as a Date of its whole milliseconds and the rest as the Date's `nanosecondsDelta` (seconds);
 * SQL Server's fingerprint is computed here from that Date (fingerprint.ts). It kept the ISO text
 * of the milliseconds only: a row whose DATETIME2(7) was edited below the millisecond kept its
 * fingerprint, and reconciliation took it for unchanged. The ticks below the millisecond now
 * count, and a value without them keeps the fingerprint text it had, so no table is compared
 * again in detail after an upgrade for them.
 */
import { createRequire } from 'node:module';
import { describe, expect, it } from 'vitest';
import { decodingPrefix, rowFingerprint } from '../../connectors/sql/fingerprint.js';
import { type Cell, catalogRow, intCell, mssqlSourceConfig, readStandInPages } from './mssql-stand-in.js';

const require = createRequire(import.meta.url);
const { readValue } = require('tedious/lib/value-parser') as {
  readValue(buf: Buffer, offset: number, metadata: unknown, options: unknown): { value: unknown };
};
const { TYPE } = require('tedious/lib/data-type') as { TYPE: Record<number, { name: string }> };

// Days from 0001-01-01 to 2024-03-01, as DATETIME2 stores its date.
const DAYS_2024_03_01 = 738945;

/**
 * A DATETIME2(7) cell on 2024-03-01 `ticks` 100 ns after midnight, decoded by tedious' own value
 * parser with the dialect's `useUTC: true`: length 8, five bytes of ticks, three of days.
 */
function datetime2Cell(colName: string, ticks: bigint): Cell {
  const bytes = Buffer.alloc(9);
  bytes[0] = 8;
  bytes.writeUIntLE(Number(ticks), 1, 5);
  bytes.writeUIntLE(DAYS_2024_03_01, 6, 3);
  const metadata = { colName, type: TYPE[0x2a], scale: 7 };
  return { value: readValue(bytes, 0, metadata, { useUTC: true }).value, metadata };
}

/** The fingerprint SQL Server's read gives row 1 of dbo.T_XKZ (ID, GXSJ datetime2(7)). */
async function fingerprintOf(ticks: bigint): Promise<string | undefined> {
  const pages = await readStandInPages({ table: 'dbo.T_XKZ', key: 'ID' }, (sql, values) => {
    if (/sys\.columns/.test(sql)) return [catalogRow('ID', 'int', 1), catalogRow('GXSJ', 'datetime2(7)')];
    if (!/T_XKZ/.test(sql) || /is null/.test(sql) || values.length > 1) return [];
    return [[intCell('ID', 1), datetime2Cell('GXSJ', ticks)]];
  });
  return pages[0]?.fingerprints?.get('1');
}

// 08:30:15.1234567 in ticks of 100 ns.
const AT = ((8n * 60n + 30n) * 60n + 15n) * 10_000_000n + 1_234_567n;

describe('SQL Server DATETIME2(7) row fingerprint', () => {
  it('tells a value edited below the millisecond from the one before', async () => {
    const before = await fingerprintOf(AT);
    const after = await fingerprintOf(AT + 1n);
    expect(before).toMatch(/^[0-9a-f]{32}$/);
    expect(after).toMatch(/^[0-9a-f]{32}$/);
    expect(after).not.toBe(before);
  });

  it('keeps the fingerprint of a value of whole milliseconds as it was', async () => {
    const whole = AT - 4_567n;
    const prefix = decodingPrefix(mssqlSourceConfig());
    const plain = { ID: 1, GXSJ: new Date('2024-03-01T08:30:15.123Z') };
    expect(await fingerprintOf(whole)).toBe(rowFingerprint(prefix, plain, ['ID', 'GXSJ']));
  });

  it('writes the ticks below the millisecond after its digits, all seven', () => {
    // python3: hashlib.md5('\x1fd2024-03-01T08:30:15.1234567Z'.encode()).hexdigest(), and .1230001
    const fingerprint = (ticks: bigint) =>
      rowFingerprint('', { GXSJ: datetime2Cell('GXSJ', ticks).value }, ['GXSJ']);
    expect(fingerprint(AT)).toBe('c8a91eb3008040889279d9f1029e6799');
    expect(fingerprint(AT - 4_566n)).toBe('4eeb40d0b404ed7378201a1d0a31bbd8');
  });
});
