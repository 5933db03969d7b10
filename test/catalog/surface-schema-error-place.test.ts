/**
 * A surface schema ajv refuses is reported at the place it names, not at `surface:`: in an entry
 * of forty face fields, `surface:` said nothing of which field's schema was wrong.
 */
import { describe, expect, it } from 'vitest';
import { buildCatalog } from '../../catalog/catalog.js';
import { ConfigError } from '../../core/errors.js';

// Credit code 11370200MB1234567 → check char 4 (see catalog-build-edges.test.ts).
const entry = (...fields: string[]): string =>
  [
    'code: 11370200MB12345674001',
    'name: T',
    'defineAuthority:',
    '  name: A',
    '  code: 11370200MB12345674',
    'holderCategory: legal-person',
    'surface:',
    '  type: object',
    '  properties:',
    '    a: { type: string }',
    ...fields.map((f) => `    ${f}`),
  ].join('\n');

/** `line:column path` of each problem. */
const places = (text: string): string[] => {
  try {
    buildCatalog([{ file: '/c/0.yaml', text }]);
  } catch (e) {
    expect(e).toBeInstanceOf(ConfigError);
    return (e as ConfigError).problems.map((p) => `${p.line}:${p.column} ${p.path}`);
  }
  return [];
};

describe('a surface schema problem stands where ajv places it', () => {
  it('the meta-schema refusing a keyword: at that keyword', () => {
    expect(places(entry('b: { type: string, minLength: -1 }'))).toEqual([
      '11:24 surface.properties.b.minLength',
    ]);
    expect(places(entry('b: { type: strung }'))).toEqual(['11:10 surface.properties.b.type']);
    expect(places(entry('c: { type: array, items: [{ type: string }, { type: strung }] }'))).toEqual([
      '11:23 surface.properties.c.items',
    ]);
  });

  it('a bad holderIdType value: at that field, not at another one holding a good value', () => {
    expect(
      places(entry("b: { type: string, holderIdType: '111' }", "c: { type: string, holderIdType: '11' }")),
    ).toEqual(['12:24 surface.properties.c.holderIdType']);
  });

  it('field names ajv escapes (Chinese, spaces, / and ~) are found again', () => {
    expect(places(entry("经营 场所: { type: string, holderIdType: '11' }"))).toEqual([
      '11:28 surface.properties.经营 场所.holderIdType',
    ]);
    expect(places(entry('经营 场所: { type: string, minLength: -1 }'))).toEqual([
      '11:28 surface.properties.经营 场所.minLength',
    ]);
    expect(places(entry("'a/b~c': { type: string, holderIdType: '11' }"))).toEqual([
      '11:30 surface.properties.a/b~c.holderIdType',
    ]);
  });

  it('an unknown format: at its `format`', () => {
    expect(places(entry('b: { type: string, format: uscx }'))).toEqual(['11:24 surface.properties.b.format']);
  });

  it('a required field no property defines: at its `required`', () => {
    const text = entry('b: { type: object, required: [c], properties: { d: { type: string } } }');
    expect(places(text)).toEqual(['11:24 surface.properties.b.required']);
  });

  it('a problem naming no place stays at `surface:`', () => {
    expect(places(entry('b: { type: string, pattern: "(" }'))).toEqual(['7:1 surface']);
  });
});
