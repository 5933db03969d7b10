// Which installed face resvg draws a text run with, as fontdb 0.14 picks it: the first family of
// the run's list that some face carries, and of that family its one regular face. Anything less
// certain answers null, and the picture is then drawn with every font.
import { describe, expect, it } from 'vitest';
import { resolveFace } from '../../adapters/documents/picture/face-font-subset.js';
import type { FontFace } from '../../adapters/documents/picture/font-scan.js';

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
