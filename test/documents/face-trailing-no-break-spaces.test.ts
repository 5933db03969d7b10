// A value that ends in no-break spaces (a name copied from a web page with its `&nbsp;`, a legacy
// system's padding in U+00A0): they draw nothing, and nothing follows them to join. They were laid
// out as glyphs and counted, so a value that fitted its box but for them was shrunk, or cut and
// its license refused, and a centred value was centred on them. At the end of a text they now hang
// past the box as spaces do: not counted for fitting, centring or the text's extent on the page.
import { describe, expect, it } from 'vitest';
import { drawnWidth } from '../../adapters/documents/face/lay-box.js';
import { layoutFace } from '../../adapters/documents/face/layout.js';
import { oneBoxFace } from './fixtures.js';

const SIZE = 5;
const WIDTH = 30;

function laid(value: string, align?: 'center', maxLines = 1) {
  const { template, license } = oneBoxFace(
    { field: 'surface.legalRepresentative', x: 60, y: 100, width: WIDTH, size: SIZE, maxLines, align },
    value,
  );
  return layoutFace(template, license);
}

describe('no-break spaces at the end of a value', () => {
  it('do not make a value that fits its box shrink or overflow', () => {
    for (const tail of ['\u00A0', '\u00A0'.repeat(30), '\u202F\u2007', ' \u00A0 ']) {
      const layout = laid(`${'青'.repeat(6)}${tail}`);
      expect(layout.overflows, JSON.stringify(tail)).toEqual([]);
      expect(layout.lines.map((l) => [l.text, l.size])).toEqual([[`${'青'.repeat(6)}${tail}`, SIZE]]);
      expect(drawnWidth(layout.lines[0] as never)).toBeCloseTo(WIDTH, 9);
    }
  });

  it('are not counted when the value is centred', () => {
    const [line] = laid('王海\u00A0\u00A0\u00A0\u00A0', 'center').lines;
    expect(line?.x).toBeCloseTo(60 + (WIDTH - 2 * SIZE) / 2, 9);
  });

  it('still join the characters on each side inside a value', () => {
    const layout = laid(`${'青'.repeat(5)}\u00A0海`, undefined, 2);
    expect(layout.lines.map((l) => l.text)).toEqual(['青青青青', '青\u00A0海']);
  });
});
