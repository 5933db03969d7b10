/**
 * A `from` (or `template`) column the source does not have quarantines every row with
 * LB_MAP_COLUMN. Given the source's fields (config check --connect lists them without reading a
 * row), the compiler reports each such column at its `from:` or `template:`, as it does a `when`
 * column: a typo in a column name is found before the first run, not in 400 quarantined rows.
 */
import { describe, expect, it } from 'vitest';
import { ConfigError, type Problem } from '../../core/errors.js';
import { compileMappingText } from '../../mappings/compile.js';

const FILE = '/m/small-catering.yaml';
const MAPPING = `fields:
  number: { from: DJZBH, transform: [trim] }
  surface.premises: { from: JYCSS, transform: [trim] }
  surface.shopSign: { from: zh }
  surface.note: { template: "{JYCS} {ZHX}" }
`;

function problems(sourceFields?: readonly string[]): Problem[] {
  try {
    compileMappingText(MAPPING, FILE, sourceFields ? { rowColumns: sourceFields } : {});
    return [];
  } catch (e) {
    if (e instanceof ConfigError) return [...e.problems];
    throw e;
  }
}

describe('from and template: columns against the source fields', () => {
  it('each unknown column is located at its rule, with the path and the field', () => {
    expect(problems(['XH', 'DJZBH', 'JYCS', 'ZH'])).toEqual([
      {
        file: FILE,
        line: 3,
        column: expect.any(Number),
        path: 'fields.surface.premises.from',
        message: 'column `JYCSS` is not a field of the source; its fields: `XH`, `DJZBH`, `JYCS`, `ZH`',
      },
      {
        file: FILE,
        line: 4,
        column: expect.any(Number),
        path: 'fields.surface.shopSign.from',
        message: 'column `zh` is not a field of the source; did you mean `ZH`?',
      },
      {
        file: FILE,
        line: 5,
        column: expect.any(Number),
        path: 'fields.surface.note.template',
        message: 'column `ZHX` is not a field of the source; its fields: `XH`, `DJZBH`, `JYCS`, `ZH`',
      },
    ]);
  });

  it('compiles when every column is a source field, or when the fields are not known', () => {
    expect(problems(['DJZBH', 'JYCSS', 'zh', 'JYCS', 'ZHX'])).toEqual([]);
    expect(problems()).toEqual([]);
    expect(problems([])).toEqual([]);
  });
});
