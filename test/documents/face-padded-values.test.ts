// A face value read from a CHAR(n) column under `trim: none` keeps the column's padding: `王海`
// and eighteen spaces. The spaces at a line's end hang past its box and draw nothing (wrap-lines.ts
// wordBreak), yet a centred box centred them with the text, so the value was drawn off-centre by
// half the padding's width, in the OFD page and its picture alike (both draw the one layout). A
// centred line is now centred on what it draws; its text, spaces and advances are kept as they were.
import { describe, expect, it } from 'vitest';
import type { FaceText } from '../../adapters/documents/face/face-template.js';
import { type LaidLine, layoutFace } from '../../adapters/documents/face/layout.js';
import { oneBoxFace } from './fixtures.js';

const BOX: FaceText = {
  field: 'surface.legalRepresentative',
  x: 60,
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

describe('a padded value on a face', () => {
  it('is centred on its text, not on its padding', () => {
    const [bare] = linesOf('王海');
    const [padded] = linesOf(`王海${' '.repeat(18)}`);
    expect(padded?.x).toBeCloseTo(bare?.x as number, 9);
    // Drawn as it is: the padding stays in the text, each space with its advance.
    expect(padded?.text).toBe(`王海${' '.repeat(18)}`);
    expect(padded?.deltas.length).toBe(19);
  });

  it('is centred with its caption the same way', () => {
    const [bare] = linesOf('Wang Hai', { prefix: '法定代表人：' });
    const [padded] = linesOf(`Wang Hai${' '.repeat(30)}`, { prefix: '法定代表人：' });
    expect(padded?.x).toBeCloseTo(bare?.x as number, 9);
  });

  it('centres each wrapped line on what it draws, the space it ends at aside', () => {
    // Two words that do not fit one line: the first line ends at the space between them.
    const word = 'X'.repeat(30);
    const lines = linesOf(`${word} ${word}`);
    expect(lines.map((l) => l.text)).toEqual([`${word} `, word]);
    expect(lines[0]?.x).toBeCloseTo(lines[1]?.x as number, 9);
  });

  it('fits its box as the bare value does: the padding is not wrapped, shrunk or cut', () => {
    // 24 CJK characters fill the 120 mm box at 5 mm exactly.
    const full = '青'.repeat(24);
    const bare = linesOf(full, { maxLines: 1 });
    const padded = linesOf(`${full}${' '.repeat(40)}`, { maxLines: 1 });
    expect(padded.map((l) => [l.text.trimEnd(), l.size, l.x])).toEqual(
      bare.map((l) => [l.text, l.size, l.x]),
    );
  });

  it('is laid out as before in a left-aligned box', () => {
    const [bare] = linesOf('王海', { align: 'left' });
    const [padded] = linesOf(`王海${' '.repeat(18)}`, { align: 'left' });
    expect(padded?.x).toBe(bare?.x);
    expect(padded?.x).toBe(BOX.x);
  });

  it('keeps the spaces before a value: they are drawn, not padding', () => {
    const [bare] = linesOf('王海');
    const [indented] = linesOf('  王海');
    expect(indented?.x).toBeLessThan(bare?.x as number);
  });
});
