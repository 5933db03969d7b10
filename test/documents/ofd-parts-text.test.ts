// An OFD file's XML parts are written as bytes without building their whole text first: the page
// as markup runs (latin1) and the lines' texts (UTF-8) in turn, the signed OFD.xml from the
// unsigned one's bytes. Each must be byte for byte the UTF-8 of the text it stands for — with
// characters to escape, Chinese and supplementary-plane text, and a document info other than the
// one the document was built from.
import { describe, expect, it } from 'vitest';
import { layoutFace } from '../../adapters/documents/face/layout.js';
import { docInfoFor } from '../../adapters/documents/ofd/issue-license-file.js';
import {
  buildOfd,
  ofdEntryXml,
  PAGE_PATH,
  SIGNATURES_PATH,
} from '../../adapters/documents/ofd/ofd-package.js';
import { prepareSignatures } from '../../adapters/documents/ofd/ofd-signature.js';
import { esc } from '../../adapters/documents/ofd/xml.js';
import type { License } from '../../catalog/license.js';
import { foodLicense, foodTemplate } from './fixtures.js';

function awkward(n: number): License {
  const license = foodLicense(n);
  return {
    ...license,
    type: { ...license.type, name: '食品经营许可证 <"A&B">' },
    issuer: { ...license.issuer, name: '青岛西海岸新区市场监督管理局 & 𠀋𠀍' },
    holder: { ...license.holder, name: `青岛<海韵>"餐饮"&管理有限公司𠀋第${n}分店` },
  };
}

describe('OFD parts written as bytes', () => {
  it('gives the signed OFD.xml the UTF-8 of its text, from the info given to the signature', () => {
    const signedAt = new Date('2026-06-01T17:03:04Z');
    const items = [1, 2, 3].map((n) => {
      const info = docInfoFor(awkward(n), signedAt);
      return { doc: buildOfd(layoutFace(foodTemplate, awkward(n)), info), info, stamp: foodTemplate.seal };
    });
    // A fourth whose signature is given other info than its document was built from.
    const built = docInfoFor(awkward(4), signedAt);
    const other = { ...built, title: 'Another & title', timeZone: 'Asia/Urumqi' };
    items.push({
      doc: buildOfd(layoutFace(foodTemplate, awkward(4)), built),
      info: other,
      stamp: foodTemplate.seal,
    });
    const prepared = prepareSignatures(items, signedAt);
    prepared.forEach((p, i) => {
      const info = items[i]?.info as typeof built;
      expect(Buffer.from(p.parts.get('OFD.xml') as Uint8Array)).toEqual(
        Buffer.from(ofdEntryXml(info, `/${SIGNATURES_PATH}`), 'utf8'),
      );
    });
    // The unsigned document keeps its own OFD.xml.
    expect(Buffer.from(items[0]?.doc.parts.get('OFD.xml') as Uint8Array)).toEqual(
      Buffer.from(ofdEntryXml(items[0]?.info as typeof built, null), 'utf8'),
    );
  });

  it("writes the page's lines as the UTF-8 of their escaped text, in order", () => {
    const license = awkward(5);
    const layout = layoutFace(foodTemplate, license);
    const page = Buffer.from(
      buildOfd(layout, docInfoFor(license, new Date())).parts.get(PAGE_PATH) as Uint8Array,
    );
    const text = page.toString('utf8');
    expect(Buffer.from(text, 'utf8')).toEqual(page);
    const codes = [...text.matchAll(/<ofd:TextCode [^>]*>([^<]*)<\/ofd:TextCode>/g)].map((m) => m[1]);
    expect(codes).toEqual(layout.lines.map((line) => esc(line.text)));
    expect(codes.some((code) => code?.includes('&lt;') && code.includes('𠀋'))).toBe(true);
    expect(
      text.endsWith('</ofd:AbbreviatedData></ofd:PathObject></ofd:Layer></ofd:Content></ofd:Page>\n'),
    ).toBe(true);
  });
});
