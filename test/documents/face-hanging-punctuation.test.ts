// Closing punctuation may not start a line (避头), so it stays at the end of the line before and
// hangs past the box. A run of it — a value padded with 。。。 or ……, or ending in ...... as legacy
// systems fill a field — hung whole: one line of a 130 mm box ran 300–490 mm across a 297 mm page,
// over the seal and off the paper, and the layout reported no overflow, so the file was sealed.
// At most one character hangs; the rest of a run goes down to the next line with the character
// before it, and a value that no longer fits its lines is cut and reported like any other.
import { describe, expect, it } from 'vitest';
import type { FaceText } from '../../adapters/documents/face/face-template.js';
import { layoutFace } from '../../adapters/documents/face/layout.js';
import { advanceEm, NO_LINE_START } from '../../adapters/documents/face/text-measure.js';
import type { License } from '../../catalog/license.js';
import { foodLicense, foodTemplate } from './fixtures.js';

const PREMISES = foodTemplate.texts.findIndex((t) => t.field === 'surface.premises');
const BOX = foodTemplate.texts[PREMISES] as FaceText;

function withPremises(premises: string): License {
  const l = foodLicense();
  return { ...l, surface: { ...l.surface, premises } };
}

function premisesLines(premises: string) {
  const layout = layoutFace(foodTemplate, withPremises(premises));
  const lines = layout.lines.filter((l) => l.top >= BOX.y && l.top < BOX.y + 15);
  return { layout, lines };
}

/** How far a line may reach past its box: one hanging character of its size. */
function hangRoom(size: number): number {
  return Math.max(...[...NO_LINE_START].map(advanceEm)) * size;
}

describe('closing punctuation at the end of a line', () => {
  it('hangs one character, never a run, past the box', () => {
    for (const premises of [
      `青岛市${'.'.repeat(200)}`,
      `青岛市${'。'.repeat(60)}`,
      `青岛市黄岛区${'……'.repeat(30)}`,
      `青岛市黄岛区长江中路海韵广场${'）'.repeat(40)}一层`,
    ]) {
      const { layout, lines } = premisesLines(premises);
      for (const line of lines)
        expect(line.width, `${premises}: ${line.text}`).toBeLessThanOrEqual(
          BOX.width + hangRoom(line.size) + 1e-9,
        );
      // Too long for the box's two lines even at its smallest size: cut and reported, not sealed.
      expect(layout.overflows, premises).toEqual([`texts[${PREMISES}] (surface.premises)`]);
    }
  });

  it('keeps a run that fits with its line: carried down with the character before it', () => {
    // 经营场所： and 23 CJK characters fill 28 of the line's 28.9 em: 等 fits, ）hangs, and 。 would
    // be a second hanging character: 等）。 go down together, no line starts with punctuation.
    const premises = `${'国'.repeat(22)}等）。一层`;
    const { layout, lines } = premisesLines(premises);
    expect(layout.overflows).toEqual([]);
    expect(lines.map((l) => l.text)).toEqual([`经营场所：${'国'.repeat(22)}`, '等）。一层']);
    for (const line of lines) expect(line.width).toBeLessThanOrEqual(BOX.width + 1e-9);
  });

  it('still hangs a single closing mark at the end of a full line', () => {
    const premises = `${'国'.repeat(23)}。一层`;
    const { lines } = premisesLines(premises);
    expect(lines.map((l) => l.text)).toEqual([`经营场所：${'国'.repeat(23)}。`, '一层']);
  });
});
