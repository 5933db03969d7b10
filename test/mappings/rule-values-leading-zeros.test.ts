/**
 * Values a rule writes without reading a row — `const`, `fallback`, `default` and the `default`
 * transform — written with a leading zero (`const: 001`, `fallback: 09`): YAML 1.2 reads them as
 * numbers, so the license held 1 or 9 instead of the code written. They are now the text written,
 * like code table values (dictionary-leading-zeros.test.ts); canonical numbers stay numbers.
 */
import { describe, expect, it } from 'vitest';
import { compileMappingText } from '../../mappings/compile.js';

const MAPPING = '/maps/food.yaml';
const run = (rule: string, A: string | number | null) => {
  const m = compileMappingText(`fields:\n  surface.x: ${rule}\n`, MAPPING);
  const r = m.map({ A }, { today: '2024-06-15' });
  return r.ok ? (r.fields as unknown as { surface: { x: unknown } }).surface.x : r.reasons.map((x) => x.code);
};

describe('values a rule writes keep their text', () => {
  it('const: 001 writes the code 001; const: 7 still writes the number 7', () => {
    expect(run('{ const: 001 }', null)).toBe('001');
    expect(run('{ const: 0532 }', null)).toBe('0532');
    expect(run('{ const: 1.50 }', null)).toBe('1.50');
    expect(run('{ const: 7 }', null)).toBe(7);
    expect(run('{ const: [01, 2] }', null)).toEqual(['01', 2]);
  });

  it('fallback: 09 is the code 09 for a code the lookup misses', () => {
    expect(run('{ from: A, lookup: { 01: 11 }, fallback: 09 }', '05')).toBe('09');
    expect(run('{ from: A, lookup: { 01: 11 }, fallback: 09 }', '01')).toBe(11);
  });

  it('default: 00 is the code 00 for an empty value, as a rule key and as a transform', () => {
    expect(run('{ from: A, default: 00 }', '')).toBe('00');
    expect(run('{ from: A, transform: [trim, { default: 00 }] }', ' ')).toBe('00');
    expect(run('{ from: A, default: 0 }', '')).toBe(0);
  });

  it('holder.idType: { const: 001 } is the legal person id type 001', () => {
    const m = compileMappingText(
      'fields:\n  holder.idType: { const: 001 }\n  holder.name: { from: A }\n',
      MAPPING,
    );
    expect(m.map({ A: '某某公司' })).toMatchObject({ ok: true, fields: { holder: { idType: '001' } } });
    // A legal person's name is not personal data: the mapping lists no personal column.
    expect(m.personalColumns).toEqual([]);
  });
});
