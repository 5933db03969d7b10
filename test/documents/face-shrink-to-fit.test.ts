// A text box whose value does not fit its lines at `size` is laid out at the largest smaller size
// (5 % steps, down to `minSize`) at which it fits the box's width and height — whole, no "…"; a
// value too long even at `minSize` is cut and reported as an overflow; a value that fits is laid
// out at `size` as before.
import { describe, expect, it } from 'vitest';
import type { FaceTemplate, FaceText } from '../../adapters/documents/face/face-template.js';
import { type LaidLine, layoutFace } from '../../adapters/documents/face/layout.js';
import type { License } from '../../catalog/license.js';
import { foodLicense, foodTemplate } from './fixtures.js';

const PREMISES = foodTemplate.texts.findIndex((t) => t.field === 'surface.premises');

function withBox(box: FaceText): FaceTemplate {
  return { ...foodTemplate, texts: [box] };
}

function premisesOf(license: License, template: FaceTemplate = foodTemplate): LaidLine[] {
  const box = template.texts[PREMISES] as FaceText;
  return layoutFace(template, license).lines.filter((l) => l.top >= box.y && l.top < box.y + 15);
}

function withPremises(premises: string): License {
  const l = foodLicense();
  return { ...l, surface: { ...l.surface, premises } };
}

describe('shrinking a text to fit its box', () => {
  it('lays out a value that fits at the template size unchanged', () => {
    const layout = layoutFace(foodTemplate, foodLicense());
    expect(layout.overflows).toEqual([]);
    // The title at 11 mm, every field at 4.5 mm: the template's own sizes.
    expect(new Set(layout.lines.map((l) => l.size))).toEqual(new Set([11, 4.5]));
  });

  it('lays out an address too long for two lines at 4.5 mm whole, at a smaller size', () => {
    // 经营场所： and 67 CJK characters: 72 em, where two 130 mm lines hold 57.8 em at 4.5 mm.
    const premises = `山东省青岛市黄岛区${'长江中路海韵广场'.repeat(7)}一层`;
    expect(premises.length).toBe(67);
    const layout = layoutFace(foodTemplate, withPremises(premises));
    expect(layout.overflows).toEqual([]);
    const lines = premisesOf(withPremises(premises));
    const box = foodTemplate.texts[PREMISES] as FaceText;
    expect(lines.map((l) => l.text).join('')).toBe(`经营场所：${premises}`);
    expect(lines.some((l) => l.text.includes('…'))).toBe(false);
    const size = lines[0]?.size as number;
    expect(size).toBeLessThan(box.size);
    expect(size).toBeGreaterThanOrEqual(0.75 * box.size);
    for (const line of lines) {
      expect(line.size).toBe(size);
      expect(line.width).toBeLessThanOrEqual(box.width + 1e-9);
      expect(line.deltas.every((d) => d === size)).toBe(true);
    }
    // Lines follow each other at the box's line height of the smaller size.
    expect((lines[1]?.top as number) - (lines[0]?.top as number)).toBeCloseTo(1.5 * size, 9);
  });

  it('takes the largest 5 % step that fits', () => {
    // 22 em in a 100 mm box: 20 em at 5 mm, 21.05 at 4.75, 22.2 at 4.5.
    const template = withBox({ text: '国'.repeat(22), x: 10, y: 10, width: 100, size: 5 });
    const layout = layoutFace(template, foodLicense());
    expect(layout.overflows).toEqual([]);
    expect(layout.lines).toHaveLength(1);
    expect(layout.lines[0]).toMatchObject({ size: 4.5, text: '国'.repeat(22), width: 99 });
  });

  it('fits more lines than maxLines in the same height at a smaller size', () => {
    // Height at 4 mm: 4 × (1 × 1 + 1.2) = 8.8 mm; at 2.4 mm four lines take 2.4 × (3 + 1.2) = 10.08
    // (too tall) and three 2.4 × 3.2 = 7.68 (fit).
    const box: FaceText = {
      text: '国'.repeat(120),
      x: 10,
      y: 10,
      width: 100,
      size: 4,
      maxLines: 2,
      lineHeight: 1,
      minSize: 2,
    };
    const layout = layoutFace(withBox(box), foodLicense());
    expect(layout.overflows).toEqual([]);
    expect(layout.lines.length).toBeGreaterThan(2);
    expect(layout.lines.map((l) => l.text).join('')).toBe('国'.repeat(120));
    const size = layout.lines[0]?.size as number;
    const last = layout.lines[layout.lines.length - 1] as LaidLine;
    expect(last.top + 1.2 * size).toBeLessThanOrEqual(10 + 8.8 + 1e-9);
  });

  it('reports a value too long even at minSize, cut with … at minSize', () => {
    const premises = '长江中路海韵广场'.repeat(20);
    const layout = layoutFace(foodTemplate, withPremises(premises));
    expect(layout.overflows).toEqual([`texts[${PREMISES}] (surface.premises)`]);
    const lines = premisesOf(withPremises(premises));
    expect(lines).toHaveLength(2);
    expect(lines.every((l) => l.size === 0.75 * 4.5)).toBe(true);
    expect(lines[1]?.text.endsWith('…')).toBe(true);
  });

  it('does not shrink below an explicit minSize', () => {
    const premises = `山东省青岛市黄岛区${'长江中路海韵广场'.repeat(7)}一层`;
    const template: FaceTemplate = {
      ...foodTemplate,
      texts: foodTemplate.texts.map((t, i) => (i === PREMISES ? { ...t, minSize: 4.5 } : t)),
    };
    const layout = layoutFace(template, withPremises(premises));
    expect(layout.overflows).toEqual([`texts[${PREMISES}] (surface.premises)`]);
    expect(premisesOf(withPremises(premises), template).every((l) => l.size === 4.5)).toBe(true);
  });
});
