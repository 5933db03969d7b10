/**
 * `pad` counts characters as the catalog's `maxLength` does: code points (JSON Schema; ajv with
 * `unicode: true`). 𠮷 (U+20BB7, a rare name character) is one code point written as two UTF-16
 * code units, \uD842\uDFB7; String#padStart counts code units.
 */
import { describe, expect, it } from 'vitest';
import { compileMappingText } from '../../mappings/compile.js';
import { createTransformRegistry } from '../../mappings/transforms.js';
import type { MapValue, TransformStep } from '../../mappings/types.js';

const RARE = '\u{20BB7}';
const registry = createTransformRegistry();
const pad = (arg: Record<string, unknown>, value: MapValue): MapValue => {
  const step = registry.get('pad')?.compile(arg) as TransformStep;
  const r = step(value);
  if (!r.ok) throw new Error(r.message);
  return r.value;
};
const codePoints = (text: string) => Array.from(text).length;
const LONE_SURROGATE = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/;

describe('pad counts code points', () => {
  it('pads text holding a supplementary character to the length in characters', () => {
    expect(pad({ length: 3, char: '0' }, RARE)).toBe(`00${RARE}`);
    expect(pad({ length: 4, char: '*', side: 'end' }, `张${RARE}`)).toBe(`张${RARE}**`);
    // Already long enough in characters (though not in code units): kept whole.
    expect(pad({ length: 2, char: '0' }, `${RARE}${RARE}`)).toBe(`${RARE}${RARE}`);
  });

  it('never cuts a supplementary pad character in half', () => {
    for (const side of ['start', 'end'] as const) {
      for (let length = 1; length <= 6; length++) {
        const out = pad({ length, char: RARE, side }, 'ab') as string;
        expect(LONE_SURROGATE.test(out), `${side} ${length}`).toBe(false);
        expect(codePoints(out), `${side} ${length}`).toBe(Math.max(length, 2));
      }
    }
    expect(pad({ length: 4, char: RARE }, 'ab')).toBe(`${RARE}${RARE}ab`);
  });

  it('gives what padStart and padEnd give for text without supplementary characters', () => {
    const texts = ['', '7', '青岛', 'JY12', '  a ', '\u3000', 'ab\uFFFDc', 'x'.repeat(300)];
    for (const text of texts) {
      for (const char of ['0', ' ', '青', '\u3000']) {
        for (const length of [1, 2, 3, 5, 8, 256]) {
          expect(pad({ length, char }, text)).toBe(text.padStart(length, char));
          expect(pad({ length, char, side: 'end' }, text)).toBe(text.padEnd(length, char));
        }
      }
    }
  });

  it('through a mapping: a padded code is as long in characters as the catalog maxLength counts', () => {
    const m = compileMappingText(
      'fields:\n  surface.code: { from: C, transform: [trim, { pad: { length: 6, char: "0" } }] }\n',
      '/maps/m.yaml',
    );
    const r = m.map({ C: `${RARE}12` });
    expect(r.ok ? r.fields.surface.code : r.reasons).toBe(`000${RARE}12`);
  });
});
