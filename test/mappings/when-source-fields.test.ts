/**
 * A `when` condition naming a column the source does not have holds for no row as its author
 * meant it. Given the source's fields, the compiler reports each such column at the condition's
 * `column:`, with the mapping file, the rule's path and the field — as it reports an unknown key.
 */
import { describe, expect, it } from 'vitest';
import { ConfigError, type Problem } from '../../core/errors.js';
import { compileMappingText } from '../../mappings/compile.js';

const FILE = '/m/food.yaml';
const MAPPING = `fields:
  number: { from: XKZBH }
  holder.idType:
    - { when: { column: ZJLX, equals: "1" }, const: "111" }
    - { when: { all: [{ column: ZJLX, equals: "2" }, { not: { column: HZHM, empty: true } }] }, const: "414" }
    - { const: "001" }
  status: { from: ZT, when: { column: zt, in: ["1", "0"] }, lookup: { "1": valid, "0": revoked } }
`;

function problems(sourceFields?: readonly string[]): Problem[] {
  try {
    compileMappingText(MAPPING, FILE, sourceFields ? { sourceFields } : {});
    return [];
  } catch (e) {
    if (e instanceof ConfigError) return [...e.problems];
    throw e;
  }
}

describe('when: columns against the source fields', () => {
  it('each unknown column is located at its `column:`, with the rule path and the field', () => {
    expect(problems(['XKZBH', 'ZJLX', 'ZT', 'JYMC'])).toEqual([
      {
        file: FILE,
        line: 5,
        column: expect.any(Number),
        path: 'fields.holder.idType.1.when.all.1.not.column',
        message:
          'when: column `HZHM` is not a field of the source; its fields: `XKZBH`, `ZJLX`, `ZT`, `JYMC`',
      },
      {
        file: FILE,
        line: 7,
        column: expect.any(Number),
        path: 'fields.status.when.column',
        message: 'when: column `zt` is not a field of the source; did you mean `ZT`?',
      },
    ]);
  });

  it('compiles when every condition column is a source field, or when the fields are not known', () => {
    expect(problems(['XKZBH', 'ZJLX', 'ZT', 'HZHM', 'zt'])).toEqual([]);
    expect(problems()).toEqual([]);
    expect(problems([])).toEqual([]);
  });
});
