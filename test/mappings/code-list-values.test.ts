/**
 * `status` values a rule writes without reading a row (const, lookup values, fallback, default) are
 * checked against the canonical list at compile time; `holder.idType`, `operation` and `areaCode`
 * were not: `const: "123"` (a holder id type GB/T 36903 does not have), `operation: { const: renw }`
 * or a lookup mapping to `areaCode: "37021"` compiled, and every row was then quarantined for a
 * typo the file shows at one line. Each is now a compile problem at that line, naming the field, the
 * value and what was expected.
 */
import { describe, expect, it } from 'vitest';
import { ConfigError } from '../../core/errors.js';
import { compileMappingText } from '../../mappings/compile.js';

const problems = (...lines: string[]): string[] => {
  try {
    compileMappingText(['fields:', ...lines, ''].join('\n'), '/maps/m.yaml');
  } catch (e) {
    expect(e).toBeInstanceOf(ConfigError);
    return (e as ConfigError).problems.map((p) => `${p.line}:${p.column} ${p.path} ${p.message}`);
  }
  return [];
};

const ID_TYPES = '001, 099, 111, 114, 115, 118, 119, 120, 122, 411, 412, 413, 414, 511, 516, 999';

describe('code-list values a rule writes are checked at compile time', () => {
  it('holder.idType: a code outside GB/T 36903', () => {
    expect(problems('  holder.idType: { const: "123" }')).toEqual([
      `2:27 fields.holder.idType.const holder.idType \`123\` is not one of ${ID_TYPES}`,
    ]);
    expect(
      problems('  holder.idType: { from: LX, lookup: { "1": "001", "2": "11" }, fallback: "999" }'),
    ).toEqual([
      `2:57 fields.holder.idType.lookup.2 code \`2\` maps to holder.idType \`11\`, not one of ${ID_TYPES}`,
    ]);
  });

  it('operation: not renew, change or transfer', () => {
    expect(problems('  operation: { const: renw }')).toEqual([
      '2:23 fields.operation.const operation `renw` is not one of renew, change, transfer',
    ]);
  });

  it('areaCode: not a 6-digit division code', () => {
    expect(problems('  areaCode: { from: QH, lookup: { a: "37021" }, default: "370211" }')).toEqual([
      '2:38 fields.areaCode.lookup.a code `a` maps to areaCode `37021`, not a 6-digit division code (GB/T 2260)',
    ]);
  });

  it('an unquoted code YAML reads as a number is told to be quoted', () => {
    expect(problems('  holder.idType: { from: LX, lookup: { "2": 111 } }')).toEqual([
      `2:45 fields.holder.idType.lookup.2 code \`2\` maps to holder.idType \`111\` (a number: quote codes, as YAML reads an unquoted 111 as one), not one of ${ID_TYPES}`,
    ]);
  });

  it('valid codes, unquoted codes as written and null compile', () => {
    expect(
      problems(
        '  holder.idType: { from: LX, lookup: { "1": 001, "2": "111", "3": null }, fallback: "999" }',
        '  operation: { from: OP, lookup: { X: renew, B: change, Q: transfer, N: null } }',
        '  areaCode: { const: "370211" }',
      ),
    ).toEqual([]);
  });
});
