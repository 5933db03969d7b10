// A text cut with … at its box's last line: the line was shortened one code point at a time from
// its end, its width summed again each time — time quadratic in the line. Spaces hang past a box
// without limit (a line never breaks before one), so a value with a long run of them in the
// middle (a list of CHAR(n) values read under `trim: none`, joined; a memo's blank stretch) made
// one long line: `王`, 8,000 spaces, `海` in a one-line box took ~10 s to lay out, 200,000 spaces
// hours. The cut is now found in one pass, and cuts where it cut before.
import { describe, expect, it } from 'vitest';
import { layoutFace } from '../../adapters/documents/face/layout.js';
import { oneBoxFace } from './fixtures.js';

function laid(value: string, maxLines = 1) {
  const { template, license } = oneBoxFace(
    { field: 'surface.legalRepresentative', x: 60, y: 100, width: 60, size: 5, maxLines, minSize: 5 },
    value,
  );
  const { lines, overflows } = layoutFace(template, license);
  return { lines: lines.map((l) => [l.text, l.x, l.size, l.deltas.length]), overflows };
}

describe('a text cut with … in its last line', () => {
  it('is cut where it was before', () => {
    // 12 em of room: 11 for the text and one for the ellipsis.
    expect(laid('青'.repeat(13)).lines.map(([t]) => t)).toEqual([`${'青'.repeat(11)}…`]);
    expect(laid(`${'青'.repeat(10)}ab${'青'.repeat(3)}`).lines.map(([t]) => t)).toEqual([
      `${'青'.repeat(10)}ab…`,
    ]);
    expect(laid(`${'青'.repeat(10)}a𠀀${'青'.repeat(3)}`).lines.map(([t]) => t)).toEqual([
      `${'青'.repeat(10)}a…`,
    ]);
    expect(laid(`${'青'.repeat(10)}e\u0301\u0301${'青'.repeat(3)}`).lines.map(([t]) => t)).toEqual([
      `${'青'.repeat(10)}e\u0301\u0301…`,
    ]);
    expect(laid(`${'青'.repeat(10)}𠀀${'青'.repeat(3)}`).lines.map(([t]) => t)).toEqual([
      `${'青'.repeat(10)}𠀀…`,
    ]);
    // The spaces before the ellipsis go (face-ellipsis-after-text).
    expect(laid(`王${' '.repeat(30)}海`).lines.map(([t]) => t)).toEqual(['王…']);
    expect(laid(`${'青'.repeat(20)} 海 ${'青'.repeat(20)}`, 2).lines.map(([t]) => t)).toEqual([
      '青'.repeat(12),
      `${'青'.repeat(8)} 海 青…`,
    ]);
  });

  it('is laid out whole when a long run of spaces stands in it', () => {
    const short = laid(`王${' '.repeat(30)}海`);
    const long = laid(`王${' '.repeat(200_000)}海`);
    expect(long).toEqual(short);
    expect(long.overflows).toEqual(['texts[0] (surface.legalRepresentative)']);
  });
});
