/**
 * `when:` conditions written the way legacy code lists look (`in: [01, 02]`, `equals: 01`): YAML
 * 1.2 reads an unquoted `01` as the integer 1, so the condition compared the text "1" and a row
 * with code "02" silently took another branch. A plain number written other than as its own
 * canonical text is now the text written, as in code tables (dictionary-leading-zeros.test.ts).
 */
import { describe, expect, it } from 'vitest';
import { ConfigError } from '../../core/errors.js';
import { compileMappingText } from '../../mappings/compile.js';

const MAPPING = '/maps/food.yaml';
const branch = (when: string, A: string | number) => {
  const m = compileMappingText(
    `fields:\n  surface.x:\n    - { when: ${when}, const: hit }\n    - { const: other }\n`,
    MAPPING,
  );
  const r = m.map({ A }, { today: '2024-06-15' });
  return r.ok ? (r.fields as unknown as { surface: { x: unknown } }).surface.x : r.reasons;
};
const problems = (yaml: string): string[] => {
  try {
    compileMappingText(yaml, MAPPING);
  } catch (e) {
    expect(e).toBeInstanceOf(ConfigError);
    return (e as ConfigError).problems.map((p) => `${p.line}:${p.column} ${p.message}`);
  }
  throw new Error('expected a ConfigError');
};

describe('condition values with leading zeros are the text written', () => {
  it('in: [01, 02] holds the codes 01 and 02, not 1 and 2', () => {
    expect(branch('{ column: A, in: [01, 02] }', '02')).toBe('hit');
    expect(branch('{ column: A, in: [01, 02] }', '01')).toBe('hit');
    expect(branch('{ column: A, in: [01, 02] }', '2')).toBe('other');
    expect(branch('{ column: A, in: [01, 02] }', 2)).toBe('other');
  });

  it('equals: 01 is the code 01; a plain 1 and a quoted "01" read as before', () => {
    expect(branch('{ column: A, equals: 01 }', '01')).toBe('hit');
    expect(branch('{ column: A, equals: 01 }', '1')).toBe('other');
    expect(branch('{ column: A, equals: 1 }', '1')).toBe('hit');
    expect(branch('{ column: A, equals: 1 }', 1)).toBe('hit');
    expect(branch('{ column: A, equals: "01" }', '01')).toBe('hit');
    expect(branch('{ column: A, equals: 0532 }', '0532')).toBe('hit');
    expect(branch('{ column: A, equals: 1.50 }', '1.50')).toBe('hit');
    expect(branch('{ column: A, equals: 1.50 }', '1.5')).toBe('other');
  });

  it('not in (not: { in }) and nested groups keep the text too', () => {
    expect(branch('{ not: { column: A, in: [01, 02] } }', '02')).toBe('other');
    expect(branch('{ not: { column: A, in: [01, 02] } }', '2')).toBe('hit');
    expect(branch('{ any: [{ column: A, equals: 09 }, { all: [{ column: A, in: [007] }] }] }', '007')).toBe(
      'hit',
    );
  });

  it('a value an anchor names keeps its text through the alias', () => {
    const m = compileMappingText(
      'fields:\n  surface.x:\n    - { when: { column: A, equals: &c 02 }, const: hit }\n    - { when: { column: A, in: [*c] }, const: again }\n    - { const: other }\n',
      MAPPING,
    );
    expect(m.map({ A: '02' })).toMatchObject({ ok: true, fields: { surface: { x: 'hit' } } });
  });

  it('01 beside "01" (or any value twice) in one `in` list is refused at file:line', () => {
    expect(
      problems('fields:\n  surface.x:\n    when: { column: A, in: [01, "01"] }\n    const: y\n'),
    ).toEqual(['3:33 when: `01` is listed twice in `in`']);
    expect(problems('fields:\n  surface.x:\n    when: { column: A, in: [a, b, a] }\n    const: y\n')).toEqual(
      ['3:35 when: `a` is listed twice in `in`'],
    );
  });
});
