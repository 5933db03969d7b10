// A closing mark that ends a full line hangs past the box's right edge (避头: it may not start the
// next line). A centred box centred the line on its text and the hanging mark together, so a line
// that filled its box started half the mark's width left of it: the box's text stood off the
// column the template draws it in, and, in a box that starts at the page's edge or border, over
// it. A hanging mark is not counted when a line is centred (as CSS Text's hanging-punctuation has
// it): a full line starts at its box's left edge, with the mark past its right one.
import { describe, expect, it } from 'vitest';
import type { FaceText } from '../../adapters/documents/face/face-template.js';
import { type LaidLine, layoutFace } from '../../adapters/documents/face/layout.js';
import { oneBoxFace } from './fixtures.js';

// 24 em at 5 mm.
const BOX: FaceText = {
  field: 'surface.legalRepresentative',
  x: 20,
  y: 100,
  width: 120,
  size: 5,
  align: 'center',
  maxLines: 2,
};

function linesOf(value: string, box: Partial<FaceText> = {}): LaidLine[] {
  const { template, license } = oneBoxFace({ ...BOX, ...box }, value);
  return layoutFace(template, license).lines;
}

describe('a centred line that hangs a closing mark', () => {
  for (const mark of ['。', '，', '）', '.']) {
    it(`starts at the box's left edge, ${mark} past its right one`, () => {
      const [line] = linesOf(`${'国'.repeat(24)}${mark}`);
      expect(line?.text).toBe(`${'国'.repeat(24)}${mark}`);
      expect(line?.x).toBeCloseTo(BOX.x as number, 9);
    });
  }

  it('is centred on its text where the mark after it fits', () => {
    const [line] = linesOf(`${'国'.repeat(20)}。`);
    expect(line?.x).toBeCloseTo((BOX.x as number) + 1.5 * 5, 9);
  });

  it('starts the first line of a wrapped text at the box, the next centred as before', () => {
    const lines = linesOf(`${'国'.repeat(24)}。一层`);
    expect(lines.map((l) => l.text)).toEqual([`${'国'.repeat(24)}。`, '一层']);
    expect(lines[0]?.x).toBeCloseTo(BOX.x as number, 9);
    expect(lines[1]?.x).toBeCloseTo((BOX.x as number) + 11 * 5, 9);
  });

  it('starts at the box when the mark hangs after a padded value', () => {
    const [line] = linesOf(`（王海${' '.repeat(60)}）`, { maxLines: 1 });
    expect(line?.x).toBeCloseTo(BOX.x as number, 9);
  });

  it('centres a line whose only glyph is wider than its box on that glyph, as before', () => {
    const [line] = linesOf('国', { width: 3 });
    expect(line?.x).toBeCloseTo((BOX.x as number) - 1, 9);
  });
});
