// With `excel: true`, digits no format matched are read as an Excel serial. A yyyyMMdd text with a
// digit missing (`2024031`) is such digits, and as serial 2024031 it is the year 7441: serials past
// 2100-12-31 are refused (9999-12-31 excepted, the "no end" of a license valid for good).
// Excel vectors from python3: date(1899,12,30) + timedelta(n); 73415 → 2100-12-31.
import { describe, expect, it } from 'vitest';
import { compileMappingText } from '../../mappings/compile.js';

const run = (value: string | number) => {
  const m = compileMappingText(
    'fields:\n  validTo: { from: A, transform: [{ date: { formats: [yyyyMMdd], excel: true } }] }\n',
    '/maps/m.yaml',
  );
  const r = m.map({ A: value }, { today: '2024-06-15' });
  return r.ok ? (r.fields as { validTo: unknown }).validTo : r.reasons.map((x) => x.code);
};

describe('Excel serials past 2100-12-31', () => {
  it('quarantines a yyyyMMdd text missing a digit instead of dating it 7441', () => {
    expect(run('2024031')).toEqual(['LB_MAP_DATE']);
    expect(run('2024301')).toEqual(['LB_MAP_DATE']);
    expect(run(2024031)).toEqual(['LB_MAP_DATE']);
  });

  it('keeps serials from 1900-01-01 to 2100-12-31, and 9999-12-31', () => {
    expect(run('45352')).toBe('2024-03-01');
    expect(run(73415)).toBe('2100-12-31');
    expect(run(73416)).toEqual(['LB_MAP_DATE']);
    expect(run(2958465)).toBe('9999-12-31');
    expect(run('20240301')).toBe('2024-03-01');
  });
});
