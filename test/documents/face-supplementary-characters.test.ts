// Rare CJK characters in names lie outside the BMP (CJK Extension B and later: 𠀀, 𡈽, 𪚥), each
// one code point written as two UTF-16 units. OFD places glyphs by character (GB/T 33190 §11.3:
// DeltaX is the advance between consecutive characters of a TextCode, XML characters, that is code
// points), so a line's DeltaX has one advance per code point, a full em each, and wrapping or a
// cut never splits a pair. Checked on the layout and on the page the OFD writer makes from it.
import { describe, expect, it } from 'vitest';
import { layoutFace } from '../../adapters/documents/face/layout.js';
import { docInfoFor } from '../../adapters/documents/ofd/issue-license-file.js';
import { buildOfd, PAGE_PATH } from '../../adapters/documents/ofd/ofd-package.js';
import { foodLicense, foodTemplate } from './fixtures.js';

const RARE = '𠀀𡈽𪚥𫟼𬺰';

/** Each TextCode's text (unescaped: these names hold no markup) and its DeltaX expanded, by line. */
function pageLines(page: string): { text: string; deltas: number[] }[] {
  return [...page.matchAll(/<ofd:TextCode [^>]*?(?: DeltaX="([^"]*)")?>([^<]*)</g)].map((m) => {
    const tokens = (m[1] ?? '').split(' ').filter((t) => t !== '');
    const deltas: number[] = [];
    for (let k = 0; k < tokens.length; ) {
      if (tokens[k] === 'g') {
        for (let n = Number(tokens[k + 1]); n > 0; n--) deltas.push(Number(tokens[k + 2]));
        k += 3;
      } else deltas.push(Number(tokens[k++]));
    }
    return { text: m[2] as string, deltas };
  });
}

describe('characters outside the BMP on a face', () => {
  it('take one full-em advance each, in the layout and in DeltaX', () => {
    const license = foodLicense(3);
    license.holder.name = `王${RARE}记`;
    const layout = layoutFace(foodTemplate, license);
    const line = layout.lines.find((l) => l.text.includes('王')) as (typeof layout.lines)[number];
    const text = `经营者名称：王${RARE}记`;
    expect(line.text).toBe(text);
    // 13 code points, 18 UTF-16 units: one advance between each two code points.
    expect([...text]).toHaveLength(13);
    expect(line.deltas).toEqual(Array(12).fill(4.5));
    expect(line.width).toBeCloseTo(13 * 4.5, 9);

    const doc = buildOfd(layout, docInfoFor(license, new Date()));
    const page = Buffer.from(doc.parts.get(PAGE_PATH) as Uint8Array).toString('utf8');
    const written = pageLines(page).find((l) => l.text === text);
    expect(written?.deltas).toEqual(Array(12).fill(4.5));
  });

  it('wraps and cuts between characters, never inside one', () => {
    // The premises box: 130 mm at 4.5 mm, two lines; 200 rare characters fit nowhere down to
    // minSize and are cut with … on the last line.
    const license = foodLicense(4);
    license.surface = { ...license.surface, premises: RARE.repeat(40) };
    const layout = layoutFace(foodTemplate, license);
    const lines = layout.lines.filter((l) => l.text.includes('𠀀'));
    expect(lines.length).toBeGreaterThan(1);
    for (const l of lines) {
      // No surrogate half without its partner.
      expect(l.text).not.toMatch(/[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/);
      expect(l.deltas).toHaveLength([...l.text].length - 1);
    }
    expect(lines.at(-1)?.text.endsWith('…')).toBe(true);
    expect(layout.overflows).toEqual(['texts[4] (surface.premises)']);
  });
});
