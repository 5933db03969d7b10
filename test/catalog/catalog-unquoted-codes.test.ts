/**
 * `holderIdTypes: [001, 111]` as a config writer types it: YAML reads an unquoted 001 as the number
 * 1, and the load problem said `expected one of 001, 099, 111, …` beside a file that reads 001. A
 * value outside a list of choices is now named as read, and an unquoted code is told to be quoted.
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
    ...extra,
  ].join('\n');

const problems = (text: string): string[] => {
  try {
    buildCatalog([{ file: '/c/0.yaml', text }]);
  } catch (e) {
    expect(e).toBeInstanceOf(ConfigError);
    return (e as ConfigError).problems.map((p) => `${p.line}:${p.column} ${p.path} ${p.message}`);
  }
  return [];
};

const TYPES = '001, 099, 111, 114, 115, 118, 119, 120, 122, 411, 412, 413, 414, 511, 516, 999';

describe('a value outside a list of choices', () => {
  it('an unquoted id type: named as YAML read it, and to be quoted', () => {
    expect(problems(entry('holderIdTypes: [001, "111"]'))).toEqual([
      `9:17 holderIdTypes.0 expected one of ${TYPES}, got the number 1: quote codes, as YAML reads an unquoted 001 as the number 1`,
    ]);
    expect(problems(entry('holderIdTypes: ["001", 111]'))[0]).toContain('got the number 111: quote codes');
  });

  it('a text outside the choices: named', () => {
    expect(problems(entry('defineLevel: City'))).toEqual([
      '9:14 defineLevel expected one of national, province, city, county, got `City`',
    ]);
  });

  it('quoted codes load', () => {
    expect(problems(entry('holderIdTypes: ["001", "111"]'))).toEqual([]);
  });
});
