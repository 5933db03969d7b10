/**
 * A code that differs from a listed one only in full-width characters or case (`０１` for `01`,
 * `y` for `Y`, as a form typed in Chinese input mode or a lower-case export writes it) is not that
 * code, and its row is quarantined LB_MAP_LOOKUP. The reason only listed the table's codes, which
 * look the same on the screen: it now names the transform that finds the code.
 */
import { describe, expect, it } from 'vitest';
import { compileMappingText } from '../../mappings/compile.js';

const m = compileMappingText(
  [
    'fields:',
    '  status: { from: ZT, lookup: { "1": valid, "2": suspended } }',
    '  surface.flag: { from: F, lookup: { Y: true, N: false } }',
    '  surface.kind: { from: K, lookup: { gt: 个体, qy: 企业 } }',
  ].join('\n'),
  '/maps/m.yaml',
);
const message = (row: Record<string, string>): string | undefined => {
  const r = m.map({ ZT: '1', F: 'Y', K: 'gt', ...row });
  return r.ok ? undefined : r.reasons.map((x) => x.message).join(' | ');
};

describe('a code missing from a lookup but for its width or case', () => {
  it('full-width: names halfWidth', () => {
    expect(message({ ZT: '１' })).toBe(
      'mapping: status: code is not in the lookup (1, 2); a listed code differs from it only in full-width characters: add halfWidth to the transforms',
    );
  });

  it('case: names upper or lower, as the listed code is written', () => {
    expect(message({ F: 'y' })).toContain('only in case: add upper to the transforms');
    expect(message({ K: 'QY' })).toContain('only in case: add lower to the transforms');
  });

  it('both: names both', () => {
    expect(message({ F: 'ｙ' })).toContain(
      'only in full-width characters and case: add halfWidth and upper to the transforms',
    );
  });

  it('a code like no listed one: the codes alone', () => {
    expect(message({ ZT: '7' })).toBe('mapping: status: code is not in the lookup (1, 2)');
    expect(message({ F: 'x' })).toBe('mapping: surface.flag: code is not in the lookup (Y, N)');
  });
});
