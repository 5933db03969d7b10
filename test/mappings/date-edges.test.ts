/**
 * The date transform at its edges: every argument check with its message, each token, the pivot
 * on both sides, zero dates, and Excel serials. Excel vectors from python3 (the 1900 system,
 * Excel's phantom 1900-02-29 at serial 60):
 *   from datetime import date, timedelta
 *   n < 60: date(1899,12,31) + timedelta(n);  n > 60: date(1899,12,30) + timedelta(n)
 *   → 1: 1900-01-01, 59: 1900-02-28, 61: 1900-03-01, 45000: 2023-03-15, 2958465: 9999-12-31
 */
import { describe, expect, it } from 'vitest';
import { compileDateFormat, dateTransform } from '../../mappings/date-transform.js';
import type { MapValue, TransformStep } from '../../mappings/types.js';

const compile = (arg: unknown) => dateTransform.compile(arg);
const step = (arg: unknown): TransformStep => {
  const s = compile(arg);
  if (typeof s !== 'function') throw new Error(typeof s === 'string' ? s : s.message);
  return s;
};
const run = (arg: unknown, v: MapValue) => {
  const r = step(arg)(v);
  return r.ok ? r.value : `${r.code}: ${r.message}`;
};

describe('formats', () => {
  it('each token, and literal characters escaped', () => {
    expect(run(['yyyy.MM.dd'], '2021.03.05')).toBe('2021-03-05');
    expect(run(['yyyy.MM.dd'], '2021x03x05')).toBe('LB_MAP_DATE: date text matches none of yyyy.MM.dd');
    expect(run(['d/M/yyyy'], '5/3/2021')).toBe('2021-03-05');
    expect(run(['d/M/yyyy'], '15/12/2021')).toBe('2021-12-15');
    expect(run(['dd(MM)yyyy'], '05(03)2021')).toBe('2021-03-05');
    expect(run(['yyyy+MM+dd'], '2021+03+05')).toBe('2021-03-05');
    // Anchored at both ends.
    expect(run(['yyyyMMdd'], '120210305')).toMatch(/^LB_MAP_DATE: date text matches none/);
    expect(run(['yyyyMMdd'], '202103051')).toMatch(/^LB_MAP_DATE: date text matches none/);
  });

  it('says what is wrong with a format', () => {
    expect(compileDateFormat('yyyyMMddyyyy')).toBe('format `yyyyMMddyyyy` names the year twice');
    expect(compileDateFormat('yyyyMMMM')).toBe('format `yyyyMMMM` names the month twice');
    expect(compileDateFormat('yyyy-MM-dd hh')).toBe(
      'format `yyyy-MM-dd hh` has unknown token `h`; tokens are yyyy, yy, MM, M, dd, d',
    );
    expect(compileDateFormat('yyyy-MM')).toBe(
      'format `yyyy-MM` needs a year (yyyy or yy), a month (MM or M) and a day (dd or d)',
    );
    expect(compileDateFormat('MM-dd')).toMatch(/needs a year/);
    expect(compileDateFormat('yyyy-dd')).toMatch(/needs a year/);
    expect(compileDateFormat('yyyyMMdd')).toMatchObject({
      source: 'yyyyMMdd',
      year: 1,
      month: 2,
      day: 3,
      twoDigitYear: false,
    });
    expect(compileDateFormat('ddMMyy')).toMatchObject({ year: 3, month: 2, day: 1, twoDigitYear: true });
  });
});

describe('the argument', () => {
  it('one format, a list, or an object with formats, pivot and excel', () => {
    expect(run('yyyyMMdd', '20210305')).toBe('2021-03-05');
    expect(run({ formats: ['yyyyMMdd'] }, '20210305')).toBe('2021-03-05');
    expect(run({ excel: true }, 45000)).toBe('2023-03-15');
  });

  it('every wrong argument, with its message', () => {
    const list = 'expected a list of date formats, e.g. [yyyyMMdd]';
    expect(compile(5)).toBe(list);
    // `{ date: ~ }` in a mapping file hands the transform a null argument.
    expect(compile(null)).toBe(list);
    expect(compile([])).toBe(list);
    expect(compile({ formats: [] })).toBe(list);
    expect(compile({})).toBe(list);
    expect(compile({ formats: 'yyyyMMdd' })).toBe(list);
    expect(compile({ formats: ['yyyyMMdd'], extra: 1 })).toBe(
      'unknown key `extra`; expected formats, pivot, excel, zone, sentinels',
    );
    expect(compile({ formats: ['yyyyMMdd'], excel: 'yes' })).toBe('expected `excel` to be true or false');
    expect(compile([5])).toBe('expected each date format to be text');
    expect(compile(['yyyyQQ'])).toMatch(/unknown token `Q`/);
    const pivot = 'expected `pivot` to be an integer from 0 to 100';
    for (const p of [-1, 101, 2.5, '50']) expect(compile({ formats: ['yyMMdd'], pivot: p })).toBe(pivot);
    for (const p of [0, 100]) expect(typeof compile({ formats: ['yyMMdd'], pivot: p })).toBe('function');
    expect(compile(['yyyyMMdd', 'yyMMdd'])).toBe(
      'format `yyMMdd` has a two-digit year; set `pivot` (e.g. 50: 00–49 → 20yy, 50–99 → 19yy)',
    );
  });
});

describe('two-digit years', () => {
  it('below the pivot is 20yy, from the pivot on 19yy', () => {
    const arg = { formats: ['yyMMdd'], pivot: 50 };
    expect(run(arg, '490101')).toBe('2049-01-01');
    expect(run(arg, '500101')).toBe('1950-01-01');
    expect(run(arg, '000101')).toBe('2000-01-01');
    expect(run({ formats: ['yyMMdd'], pivot: 0 }, '000101')).toBe('1900-01-01');
    expect(run({ formats: ['yyMMdd'], pivot: 100 }, '990101')).toBe('2099-01-01');
  });
});

describe('values', () => {
  const arg = ['yyyyMMdd', 'yyyy-MM-dd'];
  it('the first matching format decides; an impossible date names the format', () => {
    expect(run(['yyyyMMdd', 'yyyyddMM'], '20210230')).toBe(
      'LB_MAP_DATE: date text matches yyyyMMdd but is not a calendar date',
    );
    expect(run(arg, '0000-01-01')).toBe(
      'LB_MAP_DATE: date text matches yyyy-MM-dd but is not a calendar date',
    );
    expect(run(arg, 'soon')).toBe('LB_MAP_DATE: date text matches none of yyyyMMdd, yyyy-MM-dd');
  });

  it('zero dates in their legacy spellings are no date; other zero-ish text is not', () => {
    for (const z of [
      '0',
      '00000000',
      '0000/00/00',
      '0000.00.00',
      '0000-00-00 00:00:00.000',
      '0000-00-00 00',
      ' 0000-00-00 ',
    ])
      expect(run(arg, z), z).toBeNull();
    expect(run(arg, '0000-00-01')).toMatch(/^LB_MAP_DATE/);
    expect(run(arg, '0000-00-00 00:01')).toMatch(/^LB_MAP_DATE/);
    expect(run(arg, 'x0000-00-00')).toMatch(/^LB_MAP_DATE/);
  });

  it('dates are read in UTC, within years 1–9999; other values are refused', () => {
    expect(run(arg, new Date(Date.UTC(2021, 2, 5, 23, 59)))).toBe('2021-03-05');
    expect(run(arg, new Date('0001-01-01T00:00:00Z'))).toBe('0001-01-01');
    expect(run(arg, new Date(Date.UTC(9999, 11, 31)))).toBe('9999-12-31');
    expect(run(arg, new Date(Date.UTC(10000, 0, 1)))).toBe('LB_MAP_DATE: date is out of range');
    expect(run(arg, new Date('0000-06-01T00:00:00Z'))).toBe('LB_MAP_DATE: date is out of range');
    expect(run(arg, true)).toBe('LB_MAP_TYPE: date expects text, a number or a date');
    expect(run(arg, ['20210305'])).toMatch(/^LB_MAP_TYPE: date got a list: a step before it/);
    expect(run(arg, null)).toBeNull();
  });
});

describe('Excel serials', () => {
  const excel = { formats: ['yyyyMMdd'], excel: true };
  it('the 1900 system, with its phantom leap day', () => {
    expect(run(excel, 1)).toBe('1900-01-01');
    expect(run(excel, 59)).toBe('1900-02-28');
    expect(run(excel, 60)).toBe('LB_MAP_DATE: Excel serial 60 is 1900-02-29, a day that never was');
    expect(run(excel, 61)).toBe('1900-03-01');
    expect(run(excel, '45000')).toBe('2023-03-15');
    expect(run(excel, 45000.75)).toBe('2023-03-15');
    expect(run(excel, 2958465)).toBe('9999-12-31');
    expect(run(excel, 2958466)).toBe('LB_MAP_DATE: Excel serial 2958466 is outside 1–2958465');
    expect(run(excel, 0.5)).toBe('LB_MAP_DATE: Excel serial 0.5 is outside 1–2958465');
  });

  it('a format match comes first; only digit text is a serial; without excel, digits are no serial', () => {
    const NO_SERIAL =
      'LB_MAP_DATE: date text matches none of yyyyMMdd, nor is it an Excel serial (day number, 1 = 1900-01-01)';
    expect(run(excel, '20210305')).toBe('2021-03-05');
    expect(run(excel, '12345678')).toMatch(/^LB_MAP_DATE: date text matches yyyyMMdd but is not/);
    // python3: date(1899,12,30) + timedelta(1234567) is 5280-02-15, past 2100-12-31: refused.
    expect(run(excel, '1234567.5')).toMatch(/^LB_MAP_DATE: Excel serial 1234567.5 is past 2100-12-31/);
    expect(run(excel, '12345678.5')).toBe(NO_SERIAL);
    expect(run(excel, '45000.')).toBe(NO_SERIAL);
    expect(run(excel, '-45000')).toBe(NO_SERIAL);
    expect(run(['yyyyMMdd'], 45000)).toBe('LB_MAP_DATE: date text matches none of yyyyMMdd');
  });
});
