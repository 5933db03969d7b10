// A text cut with … at its box's last line: the ellipsis was set after whatever of the line fitted
// before it, spaces included, so a CHAR(n) value read under `trim: none` (`王海` and its padding)
// or a list of such values printed `王海`, a stretch of blank and `…` at the box's far edge, as if
// the text went on from there. The spaces before the ellipsis go: it follows the text it cuts.
import { describe, expect, it } from 'vitest';
import { type LaidLine, layoutFace } from '../../adapters/documents/face/layout.js';
import { oneBoxFace } from './fixtures.js';

const SIZE = 5;

function laid(value: string, maxLines = 1): LaidLine[] {
  const { template, license } = oneBoxFace(
    { field: 'surface.legalRepresentative', x: 60, y: 100, width: 60, size: SIZE, maxLines, minSize: SIZE },
    value,
  );
  const { lines, overflows } = layoutFace(template, license);
  expect(overflows).toEqual(['texts[0] (surface.legalRepresentative)']);
  return lines;
}

/** Where the line's last glyph (the ellipsis) is drawn, mm from the box's left edge. */
function ellipsisAt(line: LaidLine): number {
  return line.x - 60 + line.deltas.reduce((sum, d) => sum + d, 0);
}

describe('the … of a cut line', () => {
  it('follows the text, not the padding after it', () => {
    const [line] = laid(`王海${' '.repeat(40)}李四`);
    expect(line?.text).toBe('王海…');
    expect(ellipsisAt(line as LaidLine)).toBeCloseTo(2 * SIZE, 9);
  });

  it('follows the text after full-width padding too', () => {
    const [line] = laid(`王海${'\u3000'.repeat(20)}李四`);
    expect(line?.text).toBe('王海…');
    expect(ellipsisAt(line as LaidLine)).toBeCloseTo(2 * SIZE, 9);
  });

  it('follows the last word of a Latin line, and the text of a last line below others', () => {
    expect(laid(`${'青'.repeat(9)}ab ${'青'.repeat(3)}`).map((l) => l.text)).toEqual([
      `${'青'.repeat(9)}ab…`,
    ]);
    expect(laid(`${'青'.repeat(14)}王海${' '.repeat(40)}李四`, 2).map((l) => l.text)).toEqual([
      '青'.repeat(12),
      '青青王海…',
    ]);
  });

  it('keeps the spaces inside the text it cuts', () => {
    expect(laid(`王 海${' '.repeat(40)}李四`).map((l) => l.text)).toEqual(['王 海…']);
  });
});
