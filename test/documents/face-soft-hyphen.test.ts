// A soft hyphen (U+00AD: a hyphenation point a word processor or a web page keeps, invisible but
// where a line breaks) was laid out as a glyph half an em wide: a value that fitted its box but
// for them was shrunk, or cut with … and its license refused, and readers drew a hyphen or a box
// in the middle of a word. It is now of no width and never drawn (nor written to the page).
import { describe, expect, it } from 'vitest';
import { layoutFace } from '../../adapters/documents/face/layout.js';
import { advanceEm } from '../../adapters/documents/face/text-measure.js';
import { oneBoxFace } from './fixtures.js';

const SIZE = 5;
const WIDTH = 30;

function laid(value: string) {
  const { template, license } = oneBoxFace(
    { field: 'surface.legalRepresentative', x: 60, y: 100, width: WIDTH, size: SIZE },
    value,
  );
  return layoutFace(template, license);
}

describe('a soft hyphen in a value', () => {
  it('is of no width', () => {
    expect(advanceEm('\u00AD')).toBe(0);
  });

  it('does not make a value that fits its box shrink or overflow, and is not drawn', () => {
    // Six em of Chinese fill the 30 mm box at 5 mm; the soft hyphens between them take no room.
    const layout = laid('青岛\u00AD海韵\u00AD\u00AD餐饮');
    expect(layout.overflows).toEqual([]);
    expect(layout.lines.map((l) => [l.text, l.size])).toEqual([['青岛海韵餐饮', SIZE]]);
    expect(layout.lines[0]?.deltas).toEqual([SIZE, SIZE, SIZE, SIZE, SIZE]);
  });

  it('is not drawn inside a Latin word, and the word keeps its width', () => {
    const [line] = laid('Don\u00ADau').lines;
    expect(line?.text).toBe('Donau');
    expect(line?.deltas).toEqual(laid('Donau').lines[0]?.deltas);
  });
});
