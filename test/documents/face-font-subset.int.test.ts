// The face picture drawn from fonts cut to its characters is the picture drawn with every font:
// compared pixel for pixel with resvg given the machine's fonts as it was before the cut, for the
// demo food license and its sample (captions instead of values: the title's characters appear in
// no other line), for rare CJK characters (CJK Extension A and B), and for characters the CJK
// face lacks, which resvg takes from another font, the faces drawn cut beside every installed one.
// Needs the Noto CJK fonts (fonts-noto-cjk), as the other face picture tests do.
import { renderAsync } from '@resvg/resvg-js';
import { beforeAll, describe, expect, it } from 'vitest';
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
 * CJK each time, so a picture drawn so costs seconds of CPU, most of it the kernel copying the
 * file, and many times that on a loaded machine. Each is drawn once, in `beforeAll` (see there),
 * and on libuv's threads (`renderAsync`, the same renderer and options as `new Resvg().render()`,
 * byte for byte): drawn on the test's own thread, a picture held it for minutes under load, and no
 * limit could end a case that had run past it (577 s in a case of 120).
 */
const drawnWithEveryFont = new Map<string, Promise<Uint8Array>>();
function withEveryFont(layout: FaceLayout): Promise<Uint8Array> {
  const widthPx = Math.max(1, Math.round((layout.page.width / 25.4) * DPI));
  const svg = faceSvg(layout, null, widthPx);
  let drawn = drawnWithEveryFont.get(svg);
  if (drawn === undefined) {
    drawn = drawEveryFont(svg, widthPx);
    drawnWithEveryFont.set(svg, drawn);
  }
  return drawn;
}

async function drawEveryFont(svg: string, widthPx: number): Promise<Uint8Array> {
  const rendered = await renderAsync(svg, {
    background: '#FFFFFF',
    fitTo: { mode: 'width', value: widthPx },
    font: {
      loadSystemFonts: true,
      fontFiles: [],
      defaultFontFamily: DEFAULT_FAMILY,
      serifFamily: DEFAULT_FAMILY,
      sansSerifFamily: 'Noto Sans CJK SC',
    },
  });
  return rendered.asPng();
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
  const lines = layout.lines.filter((l) => l.text === TITLE || l.text.includes(name));
  expect(lines.map((l) => l.font)).toEqual(['黑体', '宋体']);
  return { ...layout, lines };
}

const TITLE = '食品经营许可证';
/** Extension A and B characters, which Noto Serif CJK SC has. */
const RARE = '刘䶮𠀋餐饮管理有限公司';
/** Hebrew and Georgian are not in Noto CJK; DejaVu Sans has them. */
const MISSING = '青岛אႠ餐饮管理有限公司';

/** The holder's line of MISSING, and a line of DejaVu Sans drawing its Hebrew letter. */
function hebrewInTwoFaces(): FaceLayout {
  const layout = titleAndHolder(MISSING);
  const [title, holder] = layout.lines as [FaceLayout['lines'][number], FaceLayout['lines'][number]];
  return { ...layout, lines: [{ ...title, font: 'DejaVu Sans', text: 'אב' }, holder] };
}

function demoLicense(): FaceLayout {
  return layoutFace(foodTemplate, foodLicense(1));
}

/** The sample license of the type, as `render --sample` draws it: captions instead of values. */
function sampleLicense(): FaceLayout {
  const license = foodLicense(1);
  return layoutFace(foodTemplate, {
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
}

/** The demo license's title line alone, its font set to `font`. */
function titleIn(font: string): FaceLayout {
  const layout = demoLicense();
  return { ...layout, lines: layout.lines.filter((l) => l.text === TITLE).map((l) => ({ ...l, font })) };
}

async function cutFonts(layout: FaceLayout): Promise<string[] | null> {
  const subset = await subsetFontsFor(faceTextRuns(layout, null) ?? [], [], DEFAULT_FAMILY);
  await subset?.dispose();
  return subset?.files ?? null;
}

async function expectSamePicture(layout: FaceLayout): Promise<void> {
  const cutPng = (await renderFacePng(layout, { dpi: DPI })).png;
  const everyPng = await withEveryFont(layout);
  // Two equal PNG files hold the same pixels, so only files that differ are decoded, to count the
  // bytes that differ (and pass should their pixels be the same after all). Every picture here is
  // a whole page: decoding the two in JavaScript was ~0.8 s of CPU a case, 4.8 s of the file's 9.
  if (Buffer.from(cutPng).equals(Buffer.from(everyPng))) return;
  const cut = decodePng(cutPng);
  const every = decodePng(everyPng);
  expect([cut.width, cut.height]).toEqual([every.width, every.height]);
  let differ = 0;
  for (let i = 0; i < cut.rgba.length; i++) if (cut.rgba[i] !== every.rgba[i]) differ++;
  expect(differ, 'bytes that differ').toBe(0);
}

describe('face picture from fonts cut to its characters', () => {
  // Every picture the cases compare with, drawn with every font before their clocks start, so a
  // case's limit is what its cut picture takes: the demo's alone is 3-5 s of CPU (6-13 s on a
  // loaded two-core host), minutes in a loaded run of the whole suite. One after the other: two
  // drawn at once took longer than both one after the other, each copying the same font files.
  beforeAll(async () => {
    const layouts = [
      demoLicense(),
      sampleLicense(),
      ...['黑体', 'Noto Sans CJK SC', 'Noto Serif CJK SC'].map(titleIn),
      titleAndHolder(RARE),
      titleAndHolder(MISSING),
      hebrewInTwoFaces(),
    ];
    for (const layout of layouts) await withEveryFont(layout);
  }, 600_000);

  it('draws the demo license as every font does, from one cut face per family used', async () => {
    const layout = demoLicense();
    // The 宋体 lines fall to Noto Serif CJK SC, the 黑体 title to Noto Sans CJK SC.
    expect(await cutFonts(layout)).toHaveLength(2);
    await expectSamePicture(layout);
  }, 120_000);

  it('draws the 黑体 title with Noto Sans CJK SC, the first fallback its font-family names', async () => {
    expect(demoLicense().lines.find((l) => l.text === TITLE)?.font).toBe('黑体');
    const drawn = Buffer.from(await withEveryFont(titleIn('黑体')));
    expect(drawn.equals(Buffer.from(await withEveryFont(titleIn('Noto Sans CJK SC'))))).toBe(true);
    expect(drawn.equals(Buffer.from(await withEveryFont(titleIn('Noto Serif CJK SC'))))).toBe(false);
  }, 120_000);

  it('draws the sample license of the type (what render --sample draws) as every font does', async () => {
    const layout = sampleLicense();
    // Cut, not drawn with every font (which renderFacePng falls back to silently).
    expect(await cutFonts(layout)).toHaveLength(2);
    await expectSamePicture(layout);
  }, 120_000);

  it('draws rare CJK characters the face has (Extension A 䶮, Extension B 𠀋) as every font does', async () => {
    const layout = titleAndHolder(RARE);
    expect(await cutFonts(layout)).toHaveLength(2);
    await expectSamePicture(layout);
  }, 120_000);

  it('draws a character the face lacks from the font resvg finds it in, the faces drawn cut', async () => {
    const layout = titleAndHolder(MISSING);
    // The two faces cut, the installed fonts beside them for the characters they lack: drawn
    // with every font, resvg read the 26 MB Noto Serif CJK file again for each glyph.
    expect(await cutFonts(layout)).toHaveLength(2);
    await expectSamePicture(layout);
  }, 120_000);

  it('draws with every font when a lacking character is in another cut face, which resvg would take', async () => {
    // DejaVu Sans has א, the Serif CJK face of the holder's line lacks it: resvg takes it from the
    // first installed face that has it, not from the cut DejaVu Sans laid before them.
    const layout = hebrewInTwoFaces();
    expect(await cutFonts(layout)).toBeNull();
    await expectSamePicture(layout);
  }, 120_000);

  it('draws with every font when the fonts cannot be cut (no temporary folder to write them to)', async () => {
    const before = process.env.TMPDIR;
    process.env.TMPDIR = '/nonexistent/licbridge-face-test';
    try {
      // The picture of the rare characters above, whose fonts are cut (it checks that): this one
      // falls back for want of a folder alone, and the reference drawn there is not drawn again.
      await expectSamePicture(titleAndHolder(RARE));
    } finally {
      if (before === undefined) delete process.env.TMPDIR;
      else process.env.TMPDIR = before;
    }
  }, 120_000);
});
