/**
 * What a catalog build still checks of the schemas it compiles. The entry schema is the project's
 * own, so its validator skips ajv's meta-schema check (compiling the meta-schema costs each ajv
 * instance ~25 ms at every start): the first test stands in for it. An entry's surface schema is
 * checked against the meta-schema once, by the all-errors validator, and the `holderIdType`
 * keyword's value on every instance, whatever its `validateSchema` option.
 */
import { Ajv } from 'ajv';
import { describe, expect, it } from 'vitest';
import { buildCatalog } from '../../catalog/catalog.js';
import { registerFormats } from '../../catalog/formats.js';
import { CATALOG_ENTRY_SCHEMA } from '../../catalog/license-schema.js';
import { ConfigError } from '../../core/errors.js';

// Credit code 11370200MB1234567 → check char 4 (see catalog-build-edges.test.ts).
const entry = (field: string): string =>
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
    `    x: ${field}`,
  ].join('\n');

const problems = (text: string): string[] => {
  try {
    buildCatalog([{ file: '/c/0.yaml', text }]);
  } catch (e) {
    expect(e).toBeInstanceOf(ConfigError);
    return (e as ConfigError).problems.map((p) => `${p.file}:${p.line}:${p.column} ${p.path} ${p.message}`);
  }
  return [];
};

describe('schemas a catalog build compiles', () => {
  it('the entry schema is a valid JSON Schema under the options its validator compiles it with', () => {
    const ajv = registerFormats(new Ajv({ allErrors: true, strict: true }));
    expect(ajv.validateSchema(CATALOG_ENTRY_SCHEMA), ajv.errorsText()).toBe(true);
    expect(() => ajv.compile(CATALOG_ENTRY_SCHEMA)).not.toThrow();
  });

  it('a surface holderIdType that is not a GB/T 36903 code is a load problem naming the keyword', () => {
    const at =
      '/c/0.yaml:10:24 surface.properties.x.holderIdType not a usable JSON Schema: keyword "holderIdType" value is invalid';
    expect(problems(entry("{ type: string, holderIdType: '11' }"))).toEqual([
      `${at} at path "#/properties/surface/properties/x": data must be equal to one of the allowed values`,
    ]);
    expect(problems(entry('{ type: string, holderIdType: [111] }'))).toEqual([
      `${at} at path "#/properties/surface/properties/x": data must be string, data must be equal to one of the allowed values`,
    ]);
    expect(problems(entry("{ type: string, holderIdType: '111' }"))).toEqual([]);
  });

  it('a surface schema the meta-schema refuses is still a load problem', () => {
    expect(problems(entry('{ type: string, minLength: -1 }'))).toEqual([
      '/c/0.yaml:10:24 surface.properties.x.minLength not a usable JSON Schema: schema is invalid: data/properties/surface/properties/x/minLength must be >= 0',
    ]);
    const x = 'data/properties/surface/properties/x/type';
    expect(problems(entry('{ type: strung }'))).toEqual([
      `/c/0.yaml:10:10 surface.properties.x.type not a usable JSON Schema: schema is invalid: ${x} must be equal to one of the allowed values, ${x} must be array, ${x} must match a schema in anyOf`,
    ]);
  });

  it('holderIdType checks its value on an ajv that skips the meta-schema, in the same words', () => {
    const message = (ajv: Ajv): string => {
      try {
        ajv.compile({ type: 'string', holderIdType: '11' });
      } catch (e) {
        return (e as Error).message;
      }
      return 'compiled';
    };
    const checked = message(registerFormats(new Ajv({ strict: true })));
    expect(checked).toBe(
      'keyword "holderIdType" value is invalid at path "#": data must be equal to one of the allowed values',
    );
    expect(message(registerFormats(new Ajv({ strict: true, validateSchema: false })))).toBe(checked);
  });
});
