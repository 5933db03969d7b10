// Which installed face resvg draws a text run with: the families as usvg 0.34 reads them from the
// SVG, and of those, as fontdb 0.14 picks, the first that some face carries and of that family its
// one regular face. Anything less certain answers null, and the picture is then drawn with every font.
import { describe, expect, it } from 'vitest';
import { layoutFace } from '../../adapters/documents/face/layout.js';
import { resolveFace, usvgFamilies } from '../../adapters/documents/picture/face-font-subset.js';
import { faceTextRuns } from '../../adapters/documents/picture/face-svg.js';
import type { FontFace } from '../../adapters/documents/picture/font-scan.js';
import { foodLicense, foodTemplate } from './fixtures.js';

const face = (file: string, index: number, families: string[], regular = true): FontFace => ({
  file,
  index,
  families,
  regular,
});
const SERIF = face('/fonts/NotoSerifCJK-Regular.ttc', 2, ['Noto Serif CJK SC']);
const SERIF_BOLD = face('/fonts/NotoSerifCJK-Bold.ttc', 2, ['Noto Serif CJK SC'], false);
const SANS = face('/fonts/NotoSansCJK-Regular.ttc', 2, ['Noto Sans CJK SC']);
const SONG = face('/fonts/simsun.ttc', 0, ['SimSun', '宋体']);
const DEFAULT = 'Noto Serif CJK SC';

describe('the face a text run is drawn with', () => {
  it('is the regular face of the first family some face carries', () => {
    const faces = [SERIF_BOLD, SANS, SERIF];
    expect(resolveFace(['宋体', 'Noto Serif CJK SC', 'Noto Sans CJK SC', 'serif'], faces, DEFAULT)).toBe(
      SERIF,
    );
    expect(resolveFace(['黑体', 'Noto Sans CJK SC', 'sans-serif'], faces, DEFAULT)).toBe(SANS);
    // An installed 宋体 (by any of its names) comes before the fallbacks.
    expect(resolveFace(['宋体', 'Noto Serif CJK SC'], [SERIF, SONG], DEFAULT)).toBe(SONG);
  });

  it('takes a generic family as the default family, and is unknown when no face carries it', () => {
    expect(resolveFace(['黑体', 'sans-serif'], [SANS, SERIF], DEFAULT)).toBe(SERIF);
    expect(resolveFace(['黑体', 'sans-serif'], [SANS], DEFAULT)).toBeNull();
  });

  it('is unknown when the family has no regular face, or two in different files', () => {
    expect(resolveFace(['Noto Serif CJK SC'], [SERIF_BOLD, SANS], DEFAULT)).toBeNull();
    const copy = face('/home/u/.fonts/NotoSerifCJK-Regular.ttc', 2, ['Noto Serif CJK SC']);
    expect(resolveFace(['Noto Serif CJK SC'], [SERIF, copy], DEFAULT)).toBeNull();
  });

  it('is unknown when no family of the list is installed', () => {
    expect(resolveFace(['宋体', 'Source Han Serif SC'], [SANS], DEFAULT)).toBeNull();
  });
});

describe('the families usvg reads from a font-family attribute', () => {
  it('keeps the opening quote of every name after the first, and appends serif', () => {
    expect(usvgFamilies("'黑体', 'Noto Sans CJK SC', sans-serif", DEFAULT)).toEqual([
      '黑体',
      "'Noto Sans CJK SC",
      'sans-serif',
      'serif',
    ]);
    expect(usvgFamilies("'Noto Sans CJK SC'", DEFAULT)).toEqual(['Noto Sans CJK SC', 'serif']);
    expect(usvgFamilies('', DEFAULT)).toEqual([DEFAULT, 'serif']);
  });

  it('so a face whose first family is missing is drawn with the default family, not its fallbacks', () => {
    const families = usvgFamilies("'黑体', 'Noto Sans CJK SC', 'Source Han Sans SC', sans-serif", DEFAULT);
    expect(resolveFace(families, [SANS, SERIF], DEFAULT)).toBe(SERIF);
  });
});

describe('the font-family a face picture writes', () => {
  it('is read by usvg with every fallback unquoted: the 黑体 title falls to the sans face', () => {
    const runs = faceTextRuns(layoutFace(foodTemplate, foodLicense(1)), null) ?? [];
    const title = runs.find((r) => r.text === '食品经营许可证');
    expect(title).toBeDefined();
    const families = usvgFamilies(title?.fontFamily ?? '', DEFAULT);
    expect(families.slice(0, 3)).toEqual(['黑体', 'Noto Sans CJK SC', 'Source Han Sans SC']);
    expect(resolveFace(families, [SERIF, SANS], DEFAULT)).toBe(SANS);
    // A 宋体 line (and the seal box's caption) falls to the serif face, named second.
    const song = runs.find((r) => r.text === '印章');
    expect(resolveFace(usvgFamilies(song?.fontFamily ?? '', DEFAULT), [SANS, SERIF], DEFAULT)).toBe(SERIF);
  });
});
