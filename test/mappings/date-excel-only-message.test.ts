/**
 * A date transform reading Excel serials alone (`{ date: { formats: [], excel: true } }`, a
 * spreadsheet's date column) quarantined a text that is no serial with `date text matches none
 * of ` and nothing after it: no format was named, and the reason did not say a serial was looked
 * for. With formats as well, the reason named the formats only, though the text was also tried as
 * a serial.
 */
import { describe, expect, it } from 'vitest';
import { dateTransform } from '../../mappings/date-transform.js';
import type { MapValue } from '../../mappings/types.js';

const run = (arg: unknown, v: MapValue) => {
  const s = dateTransform.compile(arg);
  if (typeof s !== 'function') throw new Error(typeof s === 'string' ? s : s.message);
  const r = s(v);
  return r.ok ? r.value : `${r.code}: ${r.message}`;
};

describe('the reason for a text that is neither a format nor an Excel serial', () => {
  it('with serials alone, says a serial was expected', () => {
    const serials = { formats: [], excel: true };
    expect(run(serials, 45000)).toBe('2023-03-15');
    expect(run(serials, '2023-03-15')).toBe(
      'LB_MAP_DATE: date text is not an Excel serial (day number, 1 = 1900-01-01)',
    );
    expect(run(serials, '45000.')).toBe(
      'LB_MAP_DATE: date text is not an Excel serial (day number, 1 = 1900-01-01)',
    );
  });

  it('with formats too, names the formats and the serial', () => {
    expect(run({ formats: ['yyyyMMdd'], excel: true }, '-45000')).toBe(
      'LB_MAP_DATE: date text matches none of yyyyMMdd, nor is it an Excel serial (day number, 1 = 1900-01-01)',
    );
    expect(run(['yyyyMMdd'], '-45000')).toBe('LB_MAP_DATE: date text matches none of yyyyMMdd');
  });
});
