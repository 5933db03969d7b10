// A TextObject's Boundary is the box a reader may clip the text to and lays the page out by. It
// took the line's width with the spaces at its end, which hang past the template's box and draw
// nothing (wrap-lines.ts wordBreak): a CHAR(n) value read under `trim: none` (`王海` and 60 spaces)
// had a Boundary reaching past its box and off the page. It is now the width of what the line
// draws; the glyphs, their advances and the face picture (drawn from the same layout) are as before.
import { describe, expect, it } from 'vitest';
import type { FaceText } from '../../adapters/documents/face/face-template.js';
import { layoutFace } from '../../adapters/documents/face/layout.js';
import { docInfoFor } from '../../adapters/documents/ofd/issue-license-file.js';
import { buildOfd, PAGE_PATH } from '../../adapters/documents/ofd/ofd-package.js';
import { foodTemplate, oneBoxFace } from './fixtures.js';

// Ends 10 mm inside the page's right edge; 60 spaces at 5 mm are 150 mm.
const BOX: FaceText = { field: 'surface.legalRepresentative', x: 0, y: 100, width: 40, size: 5 };

function textObjects(value: string, box: Partial<FaceText> = {}): { boundary: number[]; text: string }[] {
  const { template, license } = oneBoxFace({ ...BOX, x: foodTemplate.page.width - 50, ...box }, value);
  const doc = buildOfd(layoutFace(template, license), docInfoFor(license, new Date(0)));
  const page = Buffer.from(doc.parts.get(PAGE_PATH) as Uint8Array).toString('utf8');
  return [
    ...page.matchAll(/<ofd:TextObject [^>]*Boundary="([^"]+)"[\s\S]*?<ofd:TextCode [^>]*>([^<]*)</g),
  ].map((m) => ({ boundary: (m[1] as string).split(' ').map(Number), text: m[2] as string }));
}

describe('the Boundary of a padded value on the OFD page', () => {
  for (const align of ['left', 'center'] as const) {
    it(`is the bare value's, inside its box and the page (${align})`, () => {
      const [bare] = textObjects('王海', { align });
      const [padded] = textObjects(`王海${' '.repeat(60)}`, { align });
      expect(padded?.text).toBe(`王海${' '.repeat(60)}`);
      expect(padded?.boundary).toEqual(bare?.boundary);
      const [x = 0, , w = 0] = padded?.boundary ?? [];
      expect(x + w).toBeLessThanOrEqual(foodTemplate.page.width - 10);
    });
  }

  it('keeps a line that draws only spaces an em wide, as an empty-looking line was', () => {
    const [blank] = textObjects(' '.repeat(60));
    expect(blank?.boundary[2]).toBe(5);
  });
});
