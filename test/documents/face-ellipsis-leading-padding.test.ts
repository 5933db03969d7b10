// A value whose padding comes first (a right-aligned CHAR(n) code read under `trim: none`) and
// leaves its one line no room for any of the text after it: the … was set at the box's left
// edge, as if the text began there, while one space less of padding set it after the padding,
// where the text begins (in a 6 em box, 8 spaces and a code: `J…`, the … at 4.62 em; 9 spaces: `…`
// at 0). It now follows as much of
// the padding as leaves it room, as it follows as much of the code as fits when some does.
import { describe, expect, it } from 'vitest';
import { type LaidLine, layoutFace } from '../../adapters/documents/face/layout.js';
import { oneBoxFace } from './fixtures.js';

const SIZE = 5;
const WIDTH = 30;

function laid(value: string, maxLines = 1): LaidLine[] {
  const { template, license } = oneBoxFace(
    {
      field: 'surface.legalRepresentative',
      x: 60,
      y: 100,
      width: WIDTH,
      size: SIZE,
      maxLines,
      minSize: SIZE,
    },
    value,
  );
  const { lines, overflows } = layoutFace(template, license);
  expect(overflows).toEqual(['texts[0] (surface.legalRepresentative)']);
  for (const line of lines) expect(line.width).toBeLessThanOrEqual(WIDTH + 1e-9);
  return lines;
}

/** Where the line's last glyph (the ellipsis) is drawn, mm from the box's left edge. */
function ellipsisAt(line: LaidLine): number {
  return line.x - 60 + line.deltas.reduce((sum, d) => sum + d, 0);
}

describe('the … of a cut text whose padding leaves no room for its text', () => {
  it('follows as much of the code as fits after the padding, as before', () => {
    const [line] = laid(`${' '.repeat(8)}JY237021`);
    expect(line?.text).toBe(`${' '.repeat(8)}J…`);
  });

  it('follows the padding, where the text begins, not the box left edge', () => {
    const nine = laid(`${' '.repeat(9)}JY237021`);
    expect(nine.map((l) => l.text)).toEqual([`${' '.repeat(9)}…`]);
    expect(ellipsisAt(nine[0] as LaidLine)).toBeCloseTo(4.5 * SIZE, 9);
  });

  it('follows as much of a padding wider than the room as leaves it an em', () => {
    for (const value of [`${' '.repeat(10)}JY237021`, `${' '.repeat(12)}青岛海韵`, `${' '.repeat(30)}王海`]) {
      const lines = laid(value);
      expect(lines.map((l) => l.text)).toEqual([`${' '.repeat(10)}…`]);
      expect(ellipsisAt(lines[0] as LaidLine)).toBeCloseTo(WIDTH - SIZE, 9);
    }
    // Full-width padding (U+3000) as well: five of the six, the … after them.
    expect(laid(`${'\u3000'.repeat(6)}青岛海韵`).map((l) => l.text)).toEqual([`${'\u3000'.repeat(5)}…`]);
  });

  it('on a later line, still follows the text on the line before', () => {
    expect(laid(`王海${'\u00A0'.repeat(40)}李四`, 2).map((l) => l.text)).toEqual(['王海…']);
  });
});
