// An ideographic space (U+3000) is white space as a U+0020 space is: text keyed in with a Chinese
// input method, the `fullWidth` transform's space, a legacy system's full-width padding read under
// `trim: none`. Only U+0020 hung at a line's end, so a line that ran out at an ideographic space
// broke before it and the next line started with an em of blank, a value that fitted its box but
// for its full-width padding was shrunk or cut and reported as not fitting, and a centred value
// was centred on its padding. Unicode line breaking (UAX #14 LB21: no break before class BA, which
// U+3000 is) and CSS Text (other space separators hang at a line's end) keep it on its line, past
// the box, drawing nothing. A no-break space (U+00A0, class GL) stays what it was: a glyph that
// joins the characters on each side.
import { describe, expect, it } from 'vitest';
import type { FaceText } from '../../adapters/documents/face/face-template.js';
import { type LaidLine, layoutFace } from '../../adapters/documents/face/layout.js';
import { docInfoFor } from '../../adapters/documents/ofd/issue-license-file.js';
import { buildOfd, PAGE_PATH } from '../../adapters/documents/ofd/ofd-package.js';
import { oneBoxFace } from './fixtures.js';

const IDEOGRAPHIC = '\u3000';

// 24 em at 5 mm.
const BOX: FaceText = {
  field: 'surface.legalRepresentative',
  x: 20,
  y: 100,
  width: 120,
  size: 5,
  maxLines: 2,
};

function faceOf(value: string, box: Partial<FaceText> = {}) {
  const { template, license } = oneBoxFace({ ...BOX, ...box }, value);
  return { layout: layoutFace(template, license), license };
}

function linesOf(value: string, box: Partial<FaceText> = {}): LaidLine[] {
  return faceOf(value, box).layout.lines;
}

describe('an ideographic space on a face', () => {
  it('stays at the end of the line it runs out on: the next line does not start with it', () => {
    const lines = linesOf(`${'国'.repeat(24)}${IDEOGRAPHIC}一层`);
    expect(lines.map((l) => l.text)).toEqual([`${'国'.repeat(24)}${IDEOGRAPHIC}`, '一层']);
  });

  it('lets a value padded with ideographic spaces fit its box as the bare value does', () => {
    const full = '青'.repeat(24);
    const { layout: bare } = faceOf(full, { maxLines: 1 });
    const { layout: padded } = faceOf(`${full}${IDEOGRAPHIC.repeat(6)}`, { maxLines: 1 });
    expect(padded.overflows).toEqual([]);
    expect(padded.lines.map((l) => [l.text, l.size, l.x])).toEqual(
      bare.lines.map((l) => [`${l.text}${IDEOGRAPHIC.repeat(6)}`, l.size, l.x]),
    );
  });

  it('is not counted when a padded value is centred, on the page or in its text object', () => {
    const bare = faceOf('王海', { align: 'center' });
    const padded = faceOf(`王海${IDEOGRAPHIC.repeat(8)}`, { align: 'center' });
    expect(padded.layout.lines[0]?.x).toBeCloseTo(bare.layout.lines[0]?.x as number, 9);
    const boundary = (f: ReturnType<typeof faceOf>) =>
      /<ofd:TextObject [^>]*Boundary="([^"]+)"/.exec(
        Buffer.from(
          buildOfd(f.layout, docInfoFor(f.license, new Date(0))).parts.get(PAGE_PATH) as Uint8Array,
        ).toString('utf8'),
      )?.[1];
    expect(boundary(padded)).toBe(boundary(bare));
  });

  it('keeps the ideographic spaces before a value: an indent is drawn', () => {
    const [bare] = linesOf('王海', { align: 'center' });
    const [indented] = linesOf(`${IDEOGRAPHIC.repeat(2)}王海`, { align: 'center' });
    expect(indented?.x).toBeCloseTo((bare?.x as number) - 5, 9);
  });

  it('keeps a no-break space inside its word, as a glyph', () => {
    // 22 em and `No.` (1.62 em) fit the line; the space after them, `5` and 国 do not.
    const lines = linesOf(`${'国'.repeat(22)}No.\u00A05国`);
    expect(lines.map((l) => l.text)).toEqual([`${'国'.repeat(22)}`, 'No.\u00A05国']);
  });
});
