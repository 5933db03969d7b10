// `licbridge render --seal` draws the seal's picture as a sealed file's stamp is placed: at the
// size the seal states it prints (GB/T 38540 picture width and height, mm), centred on the
// template's seal box — not stretched over the box, which a reader of the file never shows.
import { describe, expect, it } from 'vitest';
import { layoutFace } from '../../adapters/documents/face/layout.js';
import { faceSvg } from '../../adapters/documents/picture/face-svg.js';
import { drawRoundSeal } from '../../adapters/documents/png-writer.js';
import { foodLicense, foodTemplate } from './fixtures.js';

/** The x, y, width and height of the seal picture's `<image>` in the face's SVG. */
function sealImage(svg: string): string[] | undefined {
  const m = /<image x="([^"]*)" y="([^"]*)" width="([^"]*)" height="([^"]*)"/.exec(svg);
  return m?.slice(1, 5);
}

describe('the seal picture of a face', () => {
  const layout = layoutFace(foodTemplate, foodLicense());
  const data = drawRoundSeal(120);

  it("is drawn at the seal's size, centred on the template's box", () => {
    // The demo template's box is 200, 140, 42 × 42 mm: its centre is 221, 161.
    const svg = faceSvg(layout, { type: 'png', data, widthMm: 40, heightMm: 30 }, 600);
    expect(sealImage(svg)).toEqual(['201', '146', '40', '30']);
  });

  it('fills the box when the picture comes without a size', () => {
    expect(sealImage(faceSvg(layout, { type: 'png', data }, 600))).toEqual(['200', '140', '42', '42']);
  });
});
