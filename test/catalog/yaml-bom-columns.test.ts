/**
 * A file saved with a byte order mark (as Windows editors save UTF-8) is fine to load, and an
 * editor shows no character for the mark: a problem on line 1 is at the column the editor shows,
 * as the not-UTF-8 problem already counts it (core/not-utf8.ts). The mark was counted as a
 * column, so every problem on line 1 of such a file pointed one character too far.
 */
import { describe, expect, it } from 'vitest';
import { buildCatalog } from '../../catalog/catalog.js';
import { ConfigError } from '../../core/errors.js';
import { compileMappingText } from '../../mappings/compile.js';

const BOM = '\uFEFF';

const places = (f: () => unknown): string[] => {
  try {
    f();
  } catch (e) {
    expect(e).toBeInstanceOf(ConfigError);
    return (e as ConfigError).problems.map((p) => `${p.line}:${p.column}`);
  }
  throw new Error('expected a ConfigError');
};

const mapping = (text: string) => () => compileMappingText(text, '/maps/m.yaml');

describe('problems on line 1 of a file opening with a byte order mark', () => {
  it('in a mapping: a value, a key and a YAML syntax error', () => {
    const value = 'fields: { status: { const: bogus } }\n';
    expect(places(mapping(value))).toEqual(['1:28']);
    expect(places(mapping(BOM + value))).toEqual(['1:28']);
    const key = 'colour: red\nfields: { number: { from: A } }\n';
    expect(places(mapping(BOM + key))).toEqual(places(mapping(key)));
    const syntax = 'fields: [a\n';
    expect(places(mapping(BOM + syntax))).toEqual(places(mapping(syntax)));
  });

  it('in a catalog entry', () => {
    const entry = (bom: string) => () =>
      buildCatalog([
        {
          file: '/c/e.yaml',
          text: `${bom}code: 11370200MB12345675001\nname: n\ndefineAuthority: { name: x, code: 11370200MB12345675 }\nholderCategory: legal-person\nsurface: { type: object }\n`,
        },
      ]);
    expect(places(entry(''))).toContain('1:7');
    expect(places(entry(BOM))).toEqual(places(entry('')));
  });

  it('lines below the first are not moved', () => {
    const text = 'fields:\n  status: { const: bogus }\n';
    expect(places(mapping(BOM + text))).toEqual(['2:20']);
  });
});
