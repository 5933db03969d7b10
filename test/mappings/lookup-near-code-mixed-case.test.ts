/**
 * A code missing from a lookup but for its case is told which transform finds the listed code
 * (lookup-near-code). For a code listed in mixed case (`mL`, `kWh`, `Qy`: units and codes as a
 * code table writes them) the reason said to add `lower` (or `upper`), which makes `ml` (or `ML`)
 * and still misses: the row stayed quarantined after the user did what the reason said. Such a
 * code is now told to be listed as the source writes it, or mapped from the listed spelling.
 */
import { describe, expect, it } from 'vitest';
import { compileMappingText } from '../../mappings/compile.js';

const m = compileMappingText(
  ['fields:', '  surface.unit: { from: DW, lookup: { mL: 毫升, kWh: 千瓦时, kg: 千克, L: 升 } }'].join('\n'),
  '/maps/m.yaml',
);
const message = (code: string): string => {
  const r = m.map({ DW: code });
  return r.ok ? `mapped ${String(r.fields.surface.unit)}` : r.reasons.map((x) => x.message).join(' | ');
};

describe('a code listed in mixed case, written in another case', () => {
  it('is not told to add a transform that cannot find it', () => {
    for (const code of ['ML', 'ml', 'KWH', 'kwh', 'Ml', 'ｍｌ', 'ＭＬ']) {
      const text = message(code);
      expect(text, code).not.toMatch(/add (halfWidth and )?(upper|lower)/);
      expect(text, code).toContain('in mixed case, which neither upper nor lower gives');
    }
  });

  it('is told that the listed spelling is mixed case, naming it', () => {
    expect(message('ML')).toBe(
      'mapping: surface.unit: code is not in the lookup (mL, kWh, kg, L); a listed code differs from it only in case, and is written `mL`, in mixed case, which neither upper nor lower gives: list the code as the source writes it',
    );
    expect(message('ｍｌ')).toBe(
      'mapping: surface.unit: code is not in the lookup (mL, kWh, kg, L); a listed code differs from it only in full-width characters and case, and is written `mL`, in mixed case, which neither upper nor lower gives: add halfWidth to the transforms and list the code as the source writes it',
    );
  });

  it('a code listed all lower or all upper case is still told the transform', () => {
    expect(message('KG')).toContain('only in case: add lower to the transforms');
    expect(message('l')).toContain('only in case: add upper to the transforms');
  });
});
