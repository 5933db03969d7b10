/**
 * `before`/`after` read a column's day from `yyyyMMdd`, `yyyy-MM-dd` and `yyyy/M/d` only. A legacy
 * column writing its days `2024.03.01` or `2024年3月1日`, as Chinese forms do, was no day to them:
 * the condition held for no row, and every row silently took another branch (the note "已过有效期"
 * never written, a license past its end mapped as valid), while the field's own `date` transform,
 * given those formats, read the same value as the day it is. Such days now compare as days.
 */
import { describe, expect, it } from 'vitest';
import { compileMappingText } from '../../mappings/compile.js';

const MAPPING = `fields:
  validTo: { from: YXQZ, transform: [{ date: [yyyy.M.d, yyyy年M月d日] }] }
  surface.note:
    - { when: { column: YXQZ, before: today }, const: 已过有效期 }
    - { when: { column: YXQZ, after: "2030-12-31" }, const: 长期有效 }
    - { const: "" }
`;

const mapped = (value: string) => {
  const r = compileMappingText(MAPPING, '/maps/m.yaml').map({ YXQZ: value }, { today: '2025-06-01' });
  if (!r.ok) return r.reasons.map((x) => x.code);
  return { validTo: r.fields.validTo, note: (r.fields.surface as { note?: unknown }).note };
};

describe('a day written with dots or 年月日 in before/after', () => {
  it('before today', () => {
    expect(mapped('2024.03.01')).toEqual({ validTo: '2024-03-01', note: '已过有效期' });
    expect(mapped('2024.3.1')).toEqual({ validTo: '2024-03-01', note: '已过有效期' });
    expect(mapped('2024年3月1日')).toEqual({ validTo: '2024-03-01', note: '已过有效期' });
    expect(mapped('2024年03月01日')).toEqual({ validTo: '2024-03-01', note: '已过有效期' });
  });

  it('after a fixed day', () => {
    expect(mapped('2035.12.31')).toEqual({ validTo: '2035-12-31', note: '长期有效' });
    expect(mapped('2035年12月31日')).toEqual({ validTo: '2035-12-31', note: '长期有效' });
  });

  it('neither', () => {
    expect(mapped('2026.1.1')).toEqual({ validTo: '2026-01-01', note: '' });
    expect(mapped('2025.06.01')).toEqual({ validTo: '2025-06-01', note: '' });
  });

  it('a time after the day is ignored, as after the other shapes', () => {
    const m = compileMappingText(
      'fields:\n  surface.note:\n    - { when: { column: D, before: "2024-03-02" }, const: before }\n    - { const: "" }\n',
      '/maps/m.yaml',
    );
    const note = (d: string) => {
      const r = m.map({ D: d });
      return r.ok ? (r.fields.surface as { note?: unknown }).note : r.reasons;
    };
    expect(note('2024.03.01 23:59:59')).toBe('before');
    expect(note('2024.03.02 00:00:00')).toBe('');
  });

  it('what is no day stays no day: Feb 30, a year of two digits, mixed or missing parts', () => {
    const m = compileMappingText(
      'fields:\n  surface.note:\n    - { when: { column: D, before: "2099-01-01" }, const: before }\n    - { const: none }\n',
      '/maps/m.yaml',
    );
    const note = (d: string) => {
      const r = m.map({ D: d });
      return r.ok ? (r.fields.surface as { note?: unknown }).note : r.reasons;
    };
    for (const d of ['2024.02.30', '24.3.1', '2024年3月', '2024.3', '2024年3月1', '2024.03.01x', '2024..1'])
      expect(note(d), d).toBe('none');
  });
});
