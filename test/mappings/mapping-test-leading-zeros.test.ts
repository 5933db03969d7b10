/**
 * Mapping test files (`*.test.yaml`) written with legacy codes unquoted: `row: { ZT: 01 }` fed the
 * number 1 instead of the text "01" (YAML 1.2 reads `01` as an integer), so a case could not
 * exercise the code 01 at all, and `expect: { fields: { x: 01 } }` expected 1. Row values,
 * expected values and keys are now the text written, as in code tables and conditions.
 */
import { describe, expect, it } from 'vitest';
import { ConfigError } from '../../core/errors.js';
import { compileMappingText } from '../../mappings/compile.js';
import { parseMappingTestFile, runMappingTests } from '../../mappings/mapping-test.js';

const FILE = '/maps/food.test.yaml';

describe('mapping test files keep values as written', () => {
  it('row values, expected fields and keys with leading zeros are text', () => {
    const t = parseMappingTestFile(
      [
        'row: { ZT: 01, N: 7 }',
        'cases:',
        '  - { name: a, key: 007, row: { YT: 0532, P: 1.50 }, expect: { fields: { surface.zt: 01, surface.list: [02, 3] } } }',
        '',
      ].join('\n'),
      FILE,
    );
    expect(t.cases[0]).toMatchObject({
      key: '007',
      values: { ZT: '01', N: 7, YT: '0532', P: '1.50' },
      fields: { 'surface.zt': '01', 'surface.list': ['02', 3] },
    });
  });

  it('a case feeding code 02 runs the branch for 02 and passes', () => {
    const mapping = compileMappingText(
      'fields:\n  surface.zt:\n    - { when: { column: ZT, in: [01, 02] }, from: ZT, lookup: { 01: valid, 02: suspended } }\n    - { const: other }\n',
      '/maps/food.yaml',
    );
    const spec = parseMappingTestFile(
      'cases:\n  - { name: two, row: { ZT: 02 }, expect: { fields: { surface.zt: suspended } } }\n  - { name: kept, row: { ZT: 03 }, expect: { fields: { surface.zt: other } } }\n',
      FILE,
    );
    expect(runMappingTests(spec, mapping)).toEqual([
      { name: 'two', line: 2, passed: true, messages: [] },
      { name: 'kept', line: 3, passed: true, messages: [] },
    ]);
  });

  it('a column written 01 beside "01" in one row is refused at file:line', () => {
    try {
      parseMappingTestFile(
        'cases:\n  - name: a\n    row: { 01: x, "01": y }\n    expect: { fields: {} }\n',
        FILE,
      );
      throw new Error('expected a ConfigError');
    } catch (e) {
      expect(e).toBeInstanceOf(ConfigError);
      expect((e as ConfigError).problems.map((p) => `${p.line}:${p.column} ${p.message}`)).toEqual([
        '3:19 column `01` is listed twice',
      ]);
    }
  });
});
