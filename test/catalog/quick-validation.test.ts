import { describe, expect, it } from 'vitest';
import { buildCatalog } from '../../catalog/catalog.js';
import { codeUnitLengthIsSafe } from '../../catalog/code-unit-length.js';
import type { License } from '../../catalog/license.js';
import { DEMO_ENTRY_FILE, DEMO_TYPE, demoEntryText, demoLicense } from './fixtures.js';

// 𠮷 is one code point written as two UTF-16 code units (a rare name character, 生僻字).
const RARE = '𠮷';

async function catalogWith(surface: string): Promise<ReturnType<typeof buildCatalog>> {
  const text = (await demoEntryText()).replace(/^surface:[\s\S]*$/m, surface);
  return buildCatalog([{ file: DEMO_ENTRY_FILE, text }]);
}

const license = (note: string): License => ({ ...demoLicense(), surface: { note } });

describe('string lengths count code points, whichever validator answers', () => {
  it('accepts a value at maxLength in code points though longer in code units', async () => {
    const catalog = await catalogWith(
      'surface:\n  type: object\n  additionalProperties: false\n  properties:\n    note: { type: string, minLength: 1, maxLength: 2 }\n',
    );
    expect(catalog.get(DEMO_TYPE)).toBeDefined();
    expect(catalog.validate(license(`${RARE}${RARE}`))).toEqual([]);
    expect(catalog.validate(license(`${RARE}${RARE}${RARE}`)).map((r) => r.code)).toEqual([
      'LB_SCHEMA_LENGTH',
    ]);
  });

  it('rejects a value under minLength in code points though long enough in code units', async () => {
    const catalog = await catalogWith(
      'surface:\n  type: object\n  additionalProperties: false\n  properties:\n    note: { type: string, minLength: 2 }\n',
    );
    expect(catalog.validate(license(RARE)).map((r) => r.code)).toEqual(['LB_SCHEMA_LENGTH']);
    expect(catalog.validate(license(`${RARE}a`))).toEqual([]);
  });

  it('keeps negated length rules exact', async () => {
    const catalog = await catalogWith(
      'surface:\n  type: object\n  properties:\n    note: { type: string, not: { maxLength: 2 } }\n',
    );
    // Two code points: maxLength 2 holds, so `not` fails, though the text is 4 code units long.
    expect(catalog.validate(license(`${RARE}${RARE}`)).map((r) => r.code)).toEqual(['LB_SCHEMA']);
    expect(catalog.validate(license(`${RARE}${RARE}${RARE}`))).toEqual([]);
  });
});

describe('codeUnitLengthIsSafe', () => {
  it('allows monotone schemas with minLength up to 1', () => {
    expect(codeUnitLengthIsSafe({ type: 'object', properties: { a: { maxLength: 3, minLength: 1 } } })).toBe(
      true,
    );
    expect(codeUnitLengthIsSafe({ anyOf: [{ maxLength: 3 }, { type: 'number' }] })).toBe(true);
  });

  it('refuses a larger minLength and keywords that can turn strictness around', () => {
    expect(codeUnitLengthIsSafe({ properties: { a: { minLength: 2 } } })).toBe(false);
    for (const keyword of ['not', 'oneOf', 'if', 'contains', '$ref', 'unevaluatedProperties']) {
      expect(codeUnitLengthIsSafe({ properties: { a: { [keyword]: {} } } })).toBe(false);
    }
  });
});
