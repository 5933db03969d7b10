/**
 * `when:` values compare as trimmed text on both sides (docs/mapping-language.md: `1`, `"1"` and
 * `"1 "` are equal). A value written padded, as a CHAR(2) column shows it (`equals: "1 "`), was
 * compared untrimmed with the trimmed source text, so the condition never held and every row
 * silently took another branch.
 */
import { describe, expect, it } from 'vitest';
import { ConfigError } from '../../core/errors.js';
import { compileMappingText } from '../../mappings/compile.js';

const MAPPING = '/maps/food.yaml';
const branch = (when: string, A: string | number | null) => {
  const m = compileMappingText(
    `fields:\n  surface.x:\n    - { when: ${when}, const: hit }\n    - { const: other }\n`,
    MAPPING,
  );
  const r = m.map({ A }, { today: '2024-06-15' });
  return r.ok ? (r.fields as unknown as { surface: { x: unknown } }).surface.x : r.reasons;
};

describe('condition values written with padding compare trimmed', () => {
  it('equals: "1 " holds for 1, "1" and "1 "', () => {
    expect(branch('{ column: A, equals: "1 " }', '1 ')).toBe('hit');
    expect(branch('{ column: A, equals: "1 " }', '1')).toBe('hit');
    expect(branch('{ column: A, equals: "1 " }', 1)).toBe('hit');
    expect(branch('{ column: A, equals: "1 " }', '2')).toBe('other');
  });

  it('in: [" 01", "02\u3000"] holds the codes 01 and 02', () => {
    expect(branch('{ column: A, in: [" 01", "02\u3000"] }', '01')).toBe('hit');
    expect(branch('{ column: A, in: [" 01", "02\u3000"] }', '02  ')).toBe('hit');
    expect(branch('{ column: A, in: [" 01", "02\u3000"] }', '1')).toBe('other');
  });

  it('equals: "  " holds for blank text, as equals: "" does', () => {
    expect(branch('{ column: A, equals: "  " }', '   ')).toBe('hit');
    expect(branch('{ column: A, equals: "" }', '   ')).toBe('hit');
  });

  it('one code written twice, once padded, is refused as listed twice', () => {
    expect(() =>
      compileMappingText(
        'fields:\n  surface.x:\n    - { when: { column: A, in: ["1", "1 "] }, const: hit }\n',
        MAPPING,
      ),
    ).toThrow(ConfigError);
    try {
      compileMappingText(
        'fields:\n  surface.x:\n    - { when: { column: A, in: ["1", "1 "] }, const: hit }\n',
        MAPPING,
      );
    } catch (e) {
      expect((e as ConfigError).problems.map((p) => p.message)).toEqual([
        expect.stringContaining('`1` is listed twice in `in`'),
      ]);
    }
  });
});
