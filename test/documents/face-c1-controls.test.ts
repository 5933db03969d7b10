// C1 control characters (U+0080–U+009F: text converted from a legacy code page as Latin-1, bytes
// of a GBK name read as ISO-8859-1) are no glyphs. They were laid out as glyphs half an em wide,
// drawn by readers as boxes and counted for fitting, where C0 controls are dropped (drawable-text.ts).
// Each is now dropped as a C0 control is, but U+0085 NEXT LINE, a line break, laid out as a space.
import { describe, expect, it } from 'vitest';
import { layoutFace } from '../../adapters/documents/face/layout.js';
import { oneBoxFace } from './fixtures.js';

const SIZE = 5;

function laid(value: string) {
  const { template, license } = oneBoxFace(
    { field: 'surface.legalRepresentative', x: 60, y: 100, width: 30, size: SIZE },
    value,
  );
  return layoutFace(template, license);
}

describe('C1 control characters in a value', () => {
  it('are dropped as C0 controls are', () => {
    const c1 = String.fromCharCode(0x80, 0x81, 0x8d, 0x90, 0x9f);
    expect(laid(`青岛\u0001海韵${c1}餐饮`).lines.map((l) => [l.text, l.size])).toEqual([
      ['青岛海韵餐饮', SIZE],
    ]);
    expect(laid(`青岛\u0001海韵${c1}餐饮`).overflows).toEqual([]);
  });

  it('each of them, and nothing else: U+0085 is a space, U+00A0 past them is kept', () => {
    for (let cp = 0x80; cp <= 0x9f; cp++) {
      if (cp === 0x85) continue;
      const [line] = laid(`王${String.fromCharCode(cp)}海`).lines;
      expect(line?.text, cp.toString(16)).toBe('王海');
    }
    expect(laid('王\u0085海').lines[0]?.text).toBe('王 海');
    expect(laid('王\u00A0海').lines[0]?.text).toBe('王\u00A0海');
  });
});
