/**
 * The edges of value repair: size bounds at exactly the limit, zero-date shapes, which columns a
 * declaration reaches, and the words of each problem. Expected byte counts are UTF-8 lengths
 * (python3: len(s.encode('utf-8'))); invalid GB18030 sequences counted by python3's codec with
 * errors='replace'.
 */
import { describe, expect, it } from 'vitest';
import { latin1Bytes, repairText } from '../../connectors/repair/charset.js';
import { isZeroDate } from '../../connectors/repair/dates.js';
import { compileRepair, DEFAULT_MAX_VALUE_BYTES, RepairCodes } from '../../connectors/repair/repair.js';
import type { SourceValue } from '../../connectors/source.js';

describe('charset edges', () => {
  it('maps U+00FF, the last latin1 character, to byte 0xFF', () => {
    expect(Array.from(latin1Bytes('\u00ff') ?? [])).toEqual([0xff]);
    expect(latin1Bytes('\u0100')).toBeNull();
  });

  it('counts invalid sequences in the message, singular and plural', () => {
    // python3: bytes([0xff, 0x41, 0xff]).decode('gb18030', errors='replace') == '\ufffdA\ufffd'
    expect(repairText(new Uint8Array([0xff, 0x41, 0xff]), 'gb18030')).toEqual({
      ok: false,
      message: '2 invalid gb18030 byte sequences in 3 bytes',
    });
    expect(repairText(new Uint8Array([0x41, 0xff]), 'gb18030')).toEqual({
      ok: false,
      message: '1 invalid gb18030 byte sequence in 2 bytes',
    });
  });
});

describe('zero dates', () => {
  it.each([
    '00000000',
    '0000-00-00',
    '0000/00/00',
    '0000.00.00',
    ' 0000-00-00 ',
    '0000-00-00 00',
    '0000-00-00 00:00',
    '0000-00-00 00:00:00',
    '0000-00-00T00:00:00.000',
    // Date and time written without separators (yyyyMMddHHmmss and its shorter and longer forms),
    // as compact dates are: '00000000000000' was kept as a value while '0000-00-00 00:00:00' was not.
    '0000000000',
    '000000000000',
    '00000000000000',
    '00000000000000000',
    '00000000000000.000',
    '00000000 000000',
    '00000000T000000',
  ])('reads %j as no date', (text) => {
    expect(isZeroDate(text)).toBe(true);
  });

  it.each([
    'x0000-00-00',
    '0000-00-00x',
    '0000-00/00',
    '0000-00-01',
    '0000-00-00 01:00:00',
    '0000-00-00 00:00:00.1',
    '00000000000001',
    '000000000',
    '00000000 0',
    '0000-00-00000000',
    '2024-01-01',
    '',
  ])('reads %j as not a zero date', (text) => {
    expect(isZeroDate(text)).toBe(false);
  });

  it('nulls a zeroDates column holding a date and time of zeros without separators', () => {
    const repair = compileRepair({ zeroDates: ['GXSJ'] });
    const values: Record<string, SourceValue> = { GXSJ: '00000000000000', FZRQ: '00000000000000' };
    expect(repair(values)).toEqual([]);
    expect(values).toEqual({ GXSJ: null, FZRQ: '00000000000000' });
  });

  it('reads an Invalid Date as no date, a real one and a number as dates', () => {
    expect(isZeroDate(new Date(Number.NaN))).toBe(true);
    expect(isZeroDate(new Date(0))).toBe(false);
    expect(isZeroDate(0)).toBe(false);
  });
});

describe('compileRepair', () => {
  const row = (): Record<string, SourceValue> => ({ A: '0000-00-00', B: '0000-00-00', N: 7, E: null });

  it('changes nothing when nothing is declared', () => {
    const values = row();
    expect(compileRepair({})(values)).toEqual([]);
    expect(values).toEqual(row());
  });

  it('keeps zero dates under zeroDates none, nulls every one under all, only the named columns under a list', () => {
    const none = row();
    compileRepair({ zeroDates: 'none' })(none);
    expect(none).toEqual(row());
    const all = row();
    compileRepair({ zeroDates: 'all' })(all);
    expect(all).toEqual({ A: null, B: null, N: 7, E: null });
    const some = row();
    compileRepair({ zeroDates: ['b'] })(some);
    expect(some).toEqual({ A: '0000-00-00', B: null, N: 7, E: null });
  });

  it('leaves numbers and nulls in a charset column alone', () => {
    const values: Record<string, SourceValue> = { N: 7, E: null };
    expect(compileRepair({ charset: { repair: ['n', 'e'], from: 'gb18030' } })(values)).toEqual([]);
    expect(values).toEqual({ N: 7, E: null });
  });

  it('names the column and the reason when a charset repair fails', () => {
    const values: Record<string, SourceValue> = { MC: new Uint8Array([0x41, 0xff]) };
    expect(compileRepair({ charset: { repair: ['MC'], from: 'gb18030' } })(values)).toEqual([
      {
        column: 'MC',
        code: RepairCodes.CHARSET,
        message: 'charset repair failed: column MC: 1 invalid gb18030 byte sequence in 2 bytes',
      },
    ]);
    expect(values.MC).toBeNull();
  });

  it('keeps a value of exactly maxValueBytes and refuses one byte more', () => {
    const repair = compileRepair({ maxValueBytes: 6 });
    const values: Record<string, SourceValue> = {
      EXACT: 'abcdef',
      WIDE: '中文',
      OVER: '中文a',
      BIN: new Uint8Array(7),
    };
    expect(repair(values)).toEqual([
      {
        column: 'OVER',
        code: RepairCodes.TOO_LARGE,
        message: 'value too large: column OVER: 7 bytes, over maxValueBytes 6',
      },
      {
        column: 'BIN',
        code: RepairCodes.TOO_LARGE,
        message: 'value too large: column BIN: 7 bytes, over maxValueBytes 6',
      },
    ]);
    expect(values).toEqual({ EXACT: 'abcdef', WIDE: '中文', OVER: null, BIN: null });
  });

  it('keeps values up to 16 MiB by default', () => {
    expect(DEFAULT_MAX_VALUE_BYTES).toBe(16_777_216);
    const values: Record<string, SourceValue> = { BIG: 'x'.repeat(100_000) };
    expect(compileRepair({})(values)).toEqual([]);
    expect((values.BIG as string).length).toBe(100_000);
  });
});
