// The face picture drawn from fonts cut to its characters is the picture drawn with every font:
// compared pixel for pixel with resvg given the machine's fonts as it was before the cut, for the
// demo food license and its sample (captions instead of values: the title's characters appear in
// no other line), for rare CJK characters (CJK Extension A and B), and for characters the CJK
// face lacks, which resvg takes from another font and so are drawn with every font, as before.
// Needs the Noto CJK fonts (fonts-noto-cjk), as the other face picture tests do.
import { Resvg } from '@resvg/resvg-js';
import { describe, expect, it } from 'vitest';
import { type FaceLayout, layoutFace } from '../../adapters/documents/face/layout.js';
import { subsetFontsFor } from '../../adapters/documents/picture/face-font-subset.js';
import { renderFacePng } from '../../adapters/documents/picture/face-png.js';
import { faceSvg, faceTextRuns } from '../../adapters/documents/picture/face-svg.js';
import { decodePng } from '../support/png-decode.js';
import { foodLicense, foodTemplate } from './fixtures.js';

const DPI = 120;
const DEFAULT_FAMILY = 'Noto Serif CJK SC';

/**
 * The picture as drawn before fonts were cut: resvg with every installed font. resvg reads the
 * whole font file again for each glyph it draws (twice: shaping and outline), 26 MB of Noto Serif
 * CJK each time, so a picture drawn so costs seconds, more on a loaded machine; a picture already
 * drawn for the same SVG in this file is drawn once (the SVG is all resvg is given besides the
 * fonts, which do not change during the run).
 */
const drawnWithEveryFont = new Map<string, Uint8Array>();
function withEveryFont(layout: FaceLayout): Uint8Array {
  const widthPx = Math.max(1, Math.round((layout.page.width / 25.4) * DPI));
  const svg = faceSvg(layout, null, widthPx);
  const drawn = drawnWithEveryFont.get(svg) ?? drawEveryFont(svg, widthPx);
  drawnWithEveryFont.set(svg, drawn);
  return drawn;
}

function drawEveryFont(svg: string, widthPx: number): Uint8Array {
  return new Resvg(svg, {
    background: '#FFFFFF',
    fitTo: { mode: 'width', value: widthPx },
    font: {
      loadSystemFonts: true,
      fontFiles: [],
      defaultFontFamily: DEFAULT_FAMILY,
      serifFamily: DEFAULT_FAMILY,
      sansSerifFamily: 'Noto Sans CJK SC',
    },
  })
    .render()
    .asPng();
}

/**
 * The demo license with the holder named `name`, kept to its title (黑体, drawn with Noto Sans CJK
 * SC) and the holder's line (宋体, Noto Serif CJK SC): both faces and the characters under test,
 * the other lines being drawn in full by the first test. A line drawn with every installed font
 * costs resvg ~0.13 s of CPU (13 lines: 1.7 s; these 2: 0.2 s), and the tests below draw each of
 * their pictures so once or twice (the reference, and the fallback under test).
 */
function titleAndHolder(name: string): FaceLayout {
  const license = foodLicense(1);
  const layout = layoutFace(foodTemplate, { ...license, holder: { ...license.holder, name } });
  const lines = layout.lines.filter((l) => l.text === '食品经营许可证' || l.text.includes(name));
  expect(lines.map((l) => l.font)).toEqual(['黑体', '宋体']);
  return { ...layout, lines };
}

async function cutFonts(layout: FaceLayout): Promise<string[] | null> {
  const subset = await subsetFontsFor(faceTextRuns(layout, null) ?? [], [], DEFAULT_FAMILY);
  await subset?.dispose();
  return subset?.files ?? null;
}

async function expectSamePicture(layout: FaceLayout): Promise<void> {
  const cut = decodePng((await renderFacePng(layout, { dpi: DPI })).png);
  const every = decodePng(withEveryFont(layout));
  expect([cut.width, cut.height]).toEqual([every.width, every.height]);
  let differ = 0;
  for (let i = 0; i < cut.rgba.length; i++) if (cut.rgba[i] !== every.rgba[i]) differ++;
  expect(differ, 'bytes that differ').toBe(0);
}

describe('face picture from fonts cut to its characters', () => {
  it('draws the demo license as every font does, from one cut face per family used', async () => {
    const layout = layoutFace(foodTemplate, foodLicense(1));
    // The 宋体 lines fall to Noto Serif CJK SC, the 黑体 title to Noto Sans CJK SC.
    expect(await cutFonts(layout)).toHaveLength(2);
    await expectSamePicture(layout);
  }, 120_000);

  it('draws the 黑体 title with Noto Sans CJK SC, the first fallback its font-family names', () => {
    const layout = layoutFace(foodTemplate, foodLicense(1));
    const title = layout.lines.find((l) => l.text === '食品经营许可证');
    expect(title?.font).toBe('黑体');
    const titleIn = (font: string): FaceLayout => ({
      ...layout,
      lines: layout.lines.filter((l) => l === title).map((l) => ({ ...l, font })),
    });
    const drawn = withEveryFont(titleIn('黑体'));
    expect(Buffer.from(drawn).equals(Buffer.from(withEveryFont(titleIn('Noto Sans CJK SC'))))).toBe(true);
    expect(Buffer.from(drawn).equals(Buffer.from(withEveryFont(titleIn('Noto Serif CJK SC'))))).toBe(false);
  }, 120_000);

  it('draws the sample license of the type (what render --sample draws) as every font does', async () => {
    const license = foodLicense(1);
    const layout = layoutFace(foodTemplate, {
      ...license,
      holder: { ...license.holder, name: '〔持证主体名称〕', id: '〔持证主体代码〕' },
      number: '〔证照编号〕',
      surface: {
        legalRepresentative: '〔法定代表人〕',
        premises: '〔经营场所〕',
        businessForm: '〔主体业态〕',
        businessItems: ['〔经营项目1〕', '〔经营项目2〕'],
      },
    });
    // Cut, not drawn with every font (which renderFacePng falls back to silently).
    expect(await cutFonts(layout)).toHaveLength(2);
    await expectSamePicture(layout);
  }, 120_000);

  it('draws rare CJK characters the face has (Extension A 䶮, Extension B 𠀋) as every font does', async () => {
    const layout = titleAndHolder('刘䶮𠀋餐饮管理有限公司');
    expect(await cutFonts(layout)).toHaveLength(2);
    await expectSamePicture(layout);
  }, 120_000);

  it('draws with every font when the face lacks a character, which resvg then finds in another font', async () => {
    // Hebrew and Georgian are not in Noto CJK; DejaVu Sans has them.
    const layout = titleAndHolder('青岛אႠ餐饮管理有限公司');
    expect(await cutFonts(layout)).toBeNull();
    await expectSamePicture(layout);
  }, 120_000);

  it('draws with every font when the fonts cannot be cut (no temporary folder to write them to)', async () => {
    const before = process.env.TMPDIR;
    process.env.TMPDIR = '/nonexistent/licbridge-face-test';
    try {
      // The picture of the rare characters above, whose fonts are cut (it checks that): this one
      // falls back for want of a folder alone, and the reference drawn there is not drawn again.
      await expectSamePicture(titleAndHolder('刘䶮𠀋餐饮管理有限公司'));
    } finally {
      if (before === undefined) delete process.env.TMPDIR;
      else process.env.TMPDIR = before;
    }
  }, 120_000);
});
