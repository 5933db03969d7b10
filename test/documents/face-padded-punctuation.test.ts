// A value read from a CHAR(n) column under `trim: none` keeps its padding, and a caption, a
// list's join (、) or the value itself may put closing punctuation after it: `（王海` and spaces
// and `）`. The spaces at a line's end hang past the box and draw nothing, yet the wrap counted
// them when it asked whether the line was already past its room, so the mark after padding that
// overflowed was taken for a second hanging mark and went down with the last space before it:
// the next line started with a space. The line's room is now measured on what it draws.
import { describe, expect, it } from 'vitest';
import type { FaceText } from '../../adapters/documents/face/face-template.js';
import { type LaidLine, layoutFace } from '../../adapters/documents/face/layout.js';
import { oneBoxFace } from './fixtures.js';

// 24 em at 5 mm: a space is half an em, so 48 spaces fill it.
const BOX: FaceText = {
  field: 'surface.legalRepresentative',
  x: 20,
  y: 100,
  width: 120,
  size: 5,
  maxLines: 3,
};

function linesOf(value: string, box: Partial<FaceText> = {}): LaidLine[] {
  const { template, license } = oneBoxFace({ ...BOX, ...box }, value);
  return layoutFace(template, license).lines;
}

describe('closing punctuation after a padded value', () => {
  for (const mark of ['。', '，', '）']) {
    it(`keeps ${mark} on the line its padding ends, with no line starting with a space`, () => {
      const value = `（王海${' '.repeat(60)}${mark}`;
      const lines = linesOf(value);
      expect(lines.map((l) => l.text)).toEqual([value]);
    });
  }

  it('wraps a list of padded items after each join, which ends its line', () => {
    const padded = linesOf(`王海${' '.repeat(60)}、李四${' '.repeat(60)}、张三`);
    expect(padded.map((l) => l.text.trimEnd())).toEqual([
      `王海${' '.repeat(60)}、`,
      `李四${' '.repeat(60)}、`,
      '张三',
    ]);
    for (const line of padded) expect(line.text.startsWith(' ')).toBe(false);
  });

  it('still sends a second mark down with the character before the padding', () => {
    const lines = linesOf(`王海${' '.repeat(60)}。。`);
    for (const line of lines) expect(line.text.startsWith(' ')).toBe(false);
    expect(lines.map((l) => l.text).join('')).toBe(`王海${' '.repeat(60)}。。`);
  });
});
