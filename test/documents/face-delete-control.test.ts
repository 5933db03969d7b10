// DEL (U+007F) is a control character, no glyph, as the C0 and C1 controls on each side of it are
// (text from a terminal-era system, a legacy export; the input checks of a mapping stop it, a
// template's fixed text or a value written before them does not). It was kept and laid out as a
// glyph half an em wide, which readers drew as a box and which counted for fitting, where the
// controls around it are dropped (drawable-text.ts). It is now dropped as they are.
import { describe, expect, it } from 'vitest';
import { drawable } from '../../adapters/documents/face/drawable-text.js';
import { layoutFace } from '../../adapters/documents/face/layout.js';
import { oneBoxFace } from './fixtures.js';

const SIZE = 5;

function laid(value: string, width = 30) {
  const { template, license } = oneBoxFace(
    { field: 'surface.legalRepresentative', x: 60, y: 100, width, size: SIZE, minSize: SIZE },
    value,
  );
  return layoutFace(template, license);
}

describe('DEL in a value', () => {
  it('is dropped as the controls beside it are, and takes no room', () => {
    const { lines, overflows } = laid('王\u007F海');
    expect(lines.map((l) => [l.text, l.width])).toEqual([['王海', 2 * SIZE]]);
    expect(overflows).toEqual([]);
  });

  it('does not make a value that fits its box overflow', () => {
    // Six characters in a six-em box: a DEL among them took half an em more than the box has.
    const { lines, overflows } = laid('青岛海\u007F韵餐饮');
    expect(lines.map((l) => l.text)).toEqual(['青岛海韵餐饮']);
    expect(overflows).toEqual([]);
  });

  it('goes alone: the characters next to it in the code table are kept', () => {
    expect(drawable('a~\u007F\u00A0b')).toBe('a~\u00A0b');
    expect(drawable('\u007F')).toBe('');
  });
});
