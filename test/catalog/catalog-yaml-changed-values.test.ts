/**
 * A catalog entry's values as YAML reads them unquoted: `enum: [0012, 0013]` loaded as the numbers
 * 12 and 13 (in a `%YAML 1.1` file `0012` is octal, 10), `const: 2026-01-01` in a YAML 1.1 file as
 * a Date and `enum: [no]` as false. The entry loaded, and every license carrying the face code
 * `0012` was then refused row by row against a value the file does not show. Such a value is a
 * load problem at its line, telling what YAML read and to quote it.
 */
import { describe, expect, it } from 'vitest';
import { buildCatalog } from '../../catalog/catalog.js';
import { ConfigError } from '../../core/errors.js';

// Credit code 11370200MB1234567 → check char 4 (see catalog-build-edges.test.ts).
const entry = (...extra: string[]): string =>
  [
    'code: 11370200MB12345674001',
    'name: T',
    'defineAuthority:',
    '  name: A',
    '  code: 11370200MB12345674',
    'holderCategory: both',
    'surface:',
    '  type: object',
    '  properties:',
    ...extra,
  ].join('\n');

const problems = (text: string): string[] => {
  try {
    buildCatalog([{ file: '/c/0.yaml', text }]);
  } catch (e) {
    expect(e).toBeInstanceOf(ConfigError);
    return (e as ConfigError).problems.map((p) => `${p.file}:${p.line}:${p.column} ${p.message}`);
  }
  return [];
};

describe('catalog values YAML reads as another value', () => {
  it('a code with leading zeros is refused at its line, to be quoted', () => {
    expect(problems(entry('    kind: { type: string, enum: [0012, "0013"] }'))).toEqual([
      '/c/0.yaml:10:34 `0012` is read by YAML as the number 12: quote it ("0012") to keep it as written, or write 12 for a number',
    ]);
    expect(problems(entry('    kind: { type: string, const: 0012 }'))).toHaveLength(1);
  });

  it('in a YAML 1.1 file: octal, a timestamp and a Y/N boolean', () => {
    const got = problems(
      `%YAML 1.1\n---\n${entry('    kind: { enum: [0012, no] }', '    day: { const: 2026-01-01 }')}`,
    );
    expect(got).toEqual([
      '/c/0.yaml:12:20 `0012` is read by YAML as the number 10: quote it ("0012") to keep it as written, or write 12 for a number',
      '/c/0.yaml:12:26 `no` is read by YAML 1.1 as false: quote it ("no") to keep it as written, or write false',
      '/c/0.yaml:13:19 `2026-01-01` is read by YAML 1.1 as a timestamp: quote it ("2026-01-01") to keep it as written',
    ]);
  });

  it('a number written with a leading zero is told to be written without it, not only quoted', () => {
    // Quoting `maxLength: 010` makes it text, which the schema then refuses; and YAML 1.1 reads it as 8.
    expect(problems(entry('    kind: { type: string, maxLength: 010 }'))).toEqual([
      '/c/0.yaml:10:38 `010` is read by YAML as the number 10: quote it ("010") to keep it as written, or write 10 for a number',
    ]);
    expect(problems(`%YAML 1.1\n---\n${entry('    kind: { type: string, maxLength: 010 }')}`)).toEqual([
      '/c/0.yaml:12:38 `010` is read by YAML as the number 8: quote it ("010") to keep it as written, or write 10 for a number',
    ]);
  });

  it('numbers, true/false and quoted codes written plainly load', () => {
    expect(
      problems(
        entry(
          '    kind: { type: string, enum: ["0012", "no", "2026-01-01"], maxLength: 10 }',
          '    n: { type: number, minimum: 0, maximum: 1.50, enum: [0, 1, 1.5, -3] }',
          '    b: { type: boolean, const: true }',
        ),
      ),
    ).toEqual([]);
  });
});
