/**
 * The checkpoint text of a SQL Server REAL or FLOAT cursor names the very value read. tedious reads
 * a REAL's four bytes as a float32 and widens it to a number; the text is that number's shortest
 * form (cursor-text.ts), which a table stream binds as `CAST(@p AS real)` and a query stream as
 * text SQL Server converts to the REAL it compares with. Either way it must read back as the same
 * REAL: as a double, the text is that number exactly, and rounding it to single precision keeps
 * it. A FLOAT's text reads back as the same double. Checked on cells tedious' own value parser
 * decodes from random bit patterns: every sign, exponent (subnormals too) and mantissa.
 */
import { describe, expect, it } from 'vitest';
import { exactCursorText } from '../../connectors/sql/dialects/mssql/cursor-text.js';
import { type Cell, floatCell, intCell, varcharCell } from './mssql-stand-in.js';

const SQL =
  'select top (@p0) [dbo].[T_XKZ].*, CONVERT(varchar(40), [MJ], 121) AS [__lb_cursor_text] from [dbo].[T_XKZ]';

/** A fixed sequence of 32-bit patterns (xorshift32), so a failure is seen again. */
function* patterns(count: number): Generator<number> {
  let x = 0x9e3779b9;
  for (let i = 0; i < count; i++) {
    x ^= x << 13;
    x ^= x >>> 17;
    x ^= x << 5;
    yield x >>> 0;
  }
}

/** Each value as tedious reads it into a cursor cell, with the text it is checkpointed as. */
function checkpointed(values: readonly number[], bytes: 4 | 8): { value: number; text: string }[] {
  const rows: Cell[][] = values.map((n, i) => [
    intCell('ID', i),
    floatCell('MJ', n, bytes),
    varcharCell('__lb_cursor_text', '1.23457e+006'),
  ]);
  exactCursorText(SQL, rows);
  return rows.map((r) => ({ value: r[1]?.value as number, text: r[2]?.value as string }));
}

describe('mssql: a REAL or FLOAT cursor text reads back as the value read', () => {
  it('every REAL, widened by tedious, reads back from its text as the same REAL and double', () => {
    const view = new DataView(new ArrayBuffer(4));
    const values: number[] = [];
    for (const bits of patterns(5000)) {
      view.setUint32(0, bits);
      const n = view.getFloat32(0);
      if (Number.isFinite(n)) values.push(n);
    }
    // The extremes: the smallest subnormal, the largest finite, and both zeros.
    values.push(1.401298464324817e-45, 3.4028234663852886e38, 0, -0);
    expect(values.length).toBeGreaterThan(4900);
    for (const { value, text } of checkpointed(values, 4)) {
      expect(Math.fround(value)).toBe(value);
      expect(Number(text)).toBe(value === 0 ? 0 : value);
      expect(Math.fround(Number(text))).toBe(value === 0 ? 0 : value);
    }
  });

  it('every FLOAT reads back from its text as the same double', () => {
    const view = new DataView(new ArrayBuffer(8));
    const values: number[] = [];
    const it32 = patterns(6000);
    for (let i = 0; i < 3000; i++) {
      view.setUint32(0, it32.next().value as number);
      view.setUint32(4, it32.next().value as number);
      const n = view.getFloat64(0);
      if (Number.isFinite(n)) values.push(n);
    }
    values.push(5e-324, Number.MAX_VALUE);
    for (const { value, text } of checkpointed(values, 8)) expect(Number(text)).toBe(value);
  });
});
