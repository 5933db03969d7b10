/**
 * A code table kept in a YAML file may give several legacy codes one value through an anchor
 * (`"1": &valid valid`, `"01": *valid`), as a table written inline in the mapping may. The file's
 * table was refused at the alias with "expected code `01` to map to a plain value", which it does:
 * the mapping did not compile, blaming a value that is plain. Aliases and YAML 1.1 merge keys now
 * read in a file's table as they do inline.
 */
import { describe, expect, it } from 'vitest';
import type { ConfigError } from '../../core/errors.js';
import { compileMappingText } from '../../mappings/compile.js';

const MAPPING = '/maps/food.yaml';
const TABLE = '/maps/zt.yaml';

const mapping = (table: string) =>
  compileMappingText(
    'dictionaries:\n  zt: { file: ./zt.yaml }\nfields:\n  status: { from: ZT, lookup: zt }\n',
    MAPPING,
    { files: new Map([[TABLE, table]]) },
  );

const status = (table: string, code: string): unknown => {
  const r = mapping(table).map({ ZT: code });
  return r.ok ? r.fields.status : r.reasons.map((x) => x.code);
};

const problems = (table: string): string[] => {
  try {
    mapping(table);
    return [];
  } catch (e) {
    return (e as ConfigError).problems.map((p) => `${p.file}:${p.line} ${p.message}`);
  }
};

describe('a code table file giving codes one value through an anchor', () => {
  const table = ['"1": &valid valid', '"01": *valid', '"A": *valid', '"2": suspended', ''].join('\n');

  it('compiles, each aliased code mapping to the anchored value', () => {
    expect(problems(table)).toEqual([]);
    expect(status(table, '01')).toBe('valid');
    expect(status(table, 'A')).toBe('valid');
    expect(status(table, '2')).toBe('suspended');
  });

  it('reads a YAML 1.1 merge key as the inline table does, a code written in the table winning', () => {
    // The file is the table: its codes at the top level.
    const flat = ['%YAML 1.1', '---', '"9": valid', '<<: { "1": suspended, "9": revoked }', ''].join('\n');
    expect(problems(flat)).toEqual([]);
    expect(status(flat, '1')).toBe('suspended');
    expect(status(flat, '9')).toBe('valid');
  });

  it('still refuses a value that is no plain value, at its line', () => {
    expect(problems('"1": valid\n"2": [suspended]\n')).toEqual([
      `${TABLE}:2 expected code \`2\` to map to a plain value`,
    ]);
  });

  it('still refuses a code listed twice, 01 and "01" alike', () => {
    expect(problems('01: valid\n"01": suspended\n')).toEqual([`${TABLE}:2 code \`01\` is listed twice`]);
  });
});
