// A combining mark (é written e + U+0301, a name transliterated with diacritics), a variation
// selector (葛 + U+E0100, the registered variant of a character in a name) or a zero-width joiner
// draws no advance of its own: the reader draws a mark over the glyph before it and nothing for
// the others. Each was laid out with an advance (half an em, a whole em), so the face showed a
// gap after every such character and measured the text wider than it is, wrapping it early.
import { describe, expect, it } from 'vitest';
import { layoutFace } from '../../adapters/documents/face/layout.js';
import { advanceEm, widthEm } from '../../adapters/documents/face/text-measure.js';
import { foodLicense, foodTemplate } from './fixtures.js';

describe('characters that draw no advance of their own', () => {
  it.each([
    ['a combining acute accent', '\u0301'],
    ['a combining enclosing circle', '\u20DD'],
    ['an ideographic variation selector', '\u{E0100}'],
    ['a variation selector', '\uFE0F'],
    ['a zero-width joiner', '\u200D'],
    ['a zero-width space', '\u200B'],
  ])('%s takes no advance', (_, ch) => {
    expect(advanceEm(ch)).toBe(0);
  });

  it('leaves the advances of other characters as they were', () => {
    expect([...'A5、葛𠮷ｱ'].map(advanceEm)).toEqual([0.62, 0.5, 1, 1, 1, 0.5]);
  });

  it('lays out a name with them as wide as the name without them, the mark on its letter', () => {
    const plain = foodLicense(2);
    plain.holder.name = 'Zoe葛丽';
    const marked = foodLicense(2);
    marked.holder.name = 'Zoe\u0301葛\u{E0100}丽';
    const line = (l: typeof plain) =>
      layoutFace(foodTemplate, l).lines.find((x) => x.text.includes('丽')) as {
        width: number;
        deltas: readonly number[];
        text: string;
      };
    const a = line(plain);
    const b = line(marked);
    expect(b.width).toBeCloseTo(a.width, 9);
    expect(widthEm('Zoe\u0301葛\u{E0100}丽')).toBe(widthEm('Zoe葛丽'));
    // e, then the accent at e's end with nothing after it, then 葛.
    const e = [...b.text].indexOf('e');
    expect(b.deltas[e]).toBeGreaterThan(0);
    expect(b.deltas[e + 1]).toBe(0);
    expect(b.deltas).toHaveLength([...b.text].length - 1);
  });
});
