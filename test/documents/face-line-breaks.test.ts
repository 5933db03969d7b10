// A value read from a legacy system may hold a line break or a tab (an address typed on two
// lines: `…216号\r\n海韵广场`); the mapping's input checks let them through, as they are text.
// On a face they are no glyph. Laid out as glyphs, a CR LF pair went into the OFD page's
// TextCode as it was, with an advance each in DeltaX — and an XML reader turns CR LF into one
// LF (XML 1.0 §2.11), so every glyph after it was drawn one advance off the layout, over its
// neighbour; the reader then drew a line break or a tab where the layout had none. Each break
// (CR LF, CR, LF) and each tab is laid out as one space: a glyph every reader draws as laid out.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { layoutFace } from '../../adapters/documents/face/layout.js';
import { issueLicenseFiles } from '../../adapters/documents/ofd/issue-license-file.js';
import { verifyOfd } from '../../adapters/documents/ofd/ofd-verify.js';
import { readZip } from '../../adapters/documents/zip/zip-reader.js';
import { makeTempDir } from '../signers/helpers.js';
import { foodLicense, foodTemplate } from './fixtures.js';
import { type SealKit, sealKit } from './seal-kit.js';

function license() {
  const l = foodLicense(5);
  l.holder.name = '青岛海韵\r\n餐饮\t管理\r有限\n公司';
  return l;
}

describe('line breaks and tabs in a face value', () => {
  let dir: string;
  let cleanup: () => void;
  let kit: SealKit;

  beforeAll(async () => {
    ({ dir, cleanup } = makeTempDir());
    kit = await sealKit(dir);
  });
  afterAll(() => cleanup());

  it('are laid out as one space each, one advance per glyph drawn', () => {
    const layout = layoutFace(foodTemplate, license());
    const name = layout.lines.find((l) => l.text.includes('海韵'));
    expect(name?.text).toBe('经营者名称：青岛海韵 餐饮 管理 有限 公司');
    for (const line of layout.lines) {
      expect(line.text).not.toMatch(/[\r\n\t]/);
      expect(line.deltas).toHaveLength([...line.text].length - 1);
    }
  });

  it('leave no CR, LF or tab in the page a reader would read otherwise, and the file verifies', async () => {
    const seal = kit.sealSigner();
    await seal.open();
    let file: Buffer;
    try {
      [file] = (await issueLicenseFiles([{ license: license(), template: foodTemplate }], seal)) as [Buffer];
    } finally {
      await seal.close();
    }
    const page = readZip(file).read('Doc_0/Pages/Page_0/Content.xml').toString('utf8');
    const code = /<ofd:TextCode[^>]*>(经营者名称：[^<]*)<\/ofd:TextCode>/.exec(page)?.[1];
    expect(code).toBe('经营者名称：青岛海韵 餐饮 管理 有限 公司');
    expect(page.slice(page.indexOf('?>') + 3)).not.toMatch(/[\r\n\t](?!$)/);
    expect(verifyOfd(file, kit.trust).ok).toBe(true);
  });
});
