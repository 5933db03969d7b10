// A text cut with … whose last line draws nothing: a padded value's blank run of no-break spaces
// (U+00A0, text from Word or a web page, a legacy system's padding) filling the box's last line,
// or a right-aligned CHAR(n) code read under `trim: none` whose padding leaves its line no room
// for the code, which goes down whole. The ellipsis was set after that blank, at the box's left
// edge (or after a stretch of no-break spaces), as if the text went on from there, while the
// text it cut stood on the line before or past the room. It now follows the last text drawn.
import { describe, expect, it } from 'vitest';
import { type LaidLine, layoutFace } from '../../adapters/documents/face/layout.js';
import { oneBoxFace } from './fixtures.js';

const SIZE = 5;

function laid(value: string, width: number, maxLines: number): LaidLine[] {
  const { template, license } = oneBoxFace(
    { field: 'surface.legalRepresentative', x: 60, y: 100, width, size: SIZE, maxLines, minSize: SIZE },
    value,
  );
  const { lines, overflows } = layoutFace(template, license);
  expect(overflows).toEqual(['texts[0] (surface.legalRepresentative)']);
  for (const line of lines) expect(line.width).toBeLessThanOrEqual(width + 1e-9);
  return lines;
}

/** Where the line's last glyph (the ellipsis) is drawn, mm from the box's left edge. */
function ellipsisAt(line: LaidLine): number {
  return line.x - 60 + line.deltas.reduce((sum, d) => sum + d, 0);
}

describe('the … of a cut text whose last line draws nothing', () => {
  it('follows the text on the line before a blank of no-break spaces', () => {
    const lines = laid(`王海${'\u00A0'.repeat(40)}李四`, 30, 2);
    expect(lines.map((l) => l.text)).toEqual(['王海…']);
    expect(ellipsisAt(lines[0] as LaidLine)).toBeCloseTo(2 * SIZE, 9);
  });

  it('follows the text, not no-break spaces after it, on a line of its own', () => {
    const lines = laid(`王海${'\u00A0'.repeat(40)}李四`, 30, 1);
    expect(lines.map((l) => l.text)).toEqual(['王海…']);
    expect(ellipsisAt(lines[0] as LaidLine)).toBeCloseTo(2 * SIZE, 9);
  });

  it('follows as much of a code as the padding before it leaves room for', () => {
    // 8 spaces (4 em) and JY237021 (4.24 em) in an 8 em box: the code does not fit after them.
    const lines = laid(`${' '.repeat(8)}JY237021 ${'青'.repeat(4)}`, 40, 1);
    expect(lines.map((l) => l.text)).toEqual([`${' '.repeat(8)}JY237…`]);
  });
});
