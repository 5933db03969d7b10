// A template's fixed text (a title, a caption) too long for its box at every size down to its
// `minSize` is cut with … on every license of the type, and `sign files` issues no file for any of
// them. It was found only when the first license was laid out, as an overflow of that license;
// the catalog now refuses the template when it loads, at the line of the text, as it refuses a box
// off the page. What it refuses the layout cuts: the check counts only what no line can hang past
// its box (all but blanks and closing marks), at advances held here to the layout's.
import { describe, expect, it } from 'vitest';
import { drawable } from '../../adapters/documents/face/drawable-text.js';
import { layoutFace } from '../../adapters/documents/face/layout.js';
import { NO_LINE_START, widthEm } from '../../adapters/documents/face/text-measure.js';
import {
  advanceAtLeast,
  type FaceTemplate,
  type FaceText,
  faceProblems,
  MAY_HANG,
} from '../../catalog/face-template.js';
import { parseYamlSource } from '../../catalog/yaml-source.js';
import { foodEntry, lineOf, problemsOf } from './face-catalog-fixture.js';
import { foodLicense, foodTemplate } from './fixtures.js';

const TITLE = '{ text: 食品经营许可证, x: 0, y: 22, width: 297, size: 11, font: 黑体, align: center }';

/** Whether the catalog refuses `box` as the template's only text. */
function refused(box: FaceText): boolean {
  const face: FaceTemplate = { ...foodTemplate, texts: [box] };
  return faceProblems(parseYamlSource('face: {}\n', 'face.yaml'), face, {}).some(
    (p) => p.path === 'face.texts.0.text',
  );
}

/** Whether the layout cuts `box`'s text. */
function cut(box: FaceText): boolean {
  return layoutFace({ ...foodTemplate, texts: [box] }, foodLicense()).overflows.length > 0;
}

describe("a template's fixed text too long for its box", () => {
  it('is refused when the catalog loads, at the line of the text', async () => {
    const source = await foodEntry();
    expect(source).toContain(TITLE);
    // 18 characters at 11 mm, shrinking to 8.25 mm, in a 140 mm box: 16 fit there.
    const text = source.replace(
      TITLE,
      '{ text: 山东省青岛市西海岸新区食品经营许可证, x: 0, y: 22, width: 140, size: 11, font: 黑体, align: center }',
    );
    const line = lineOf(text, '山东省青岛市');
    expect(problemsOf(text)).toEqual([
      `${line}: face.texts.0.text: expected the text to fit its box at \`minSize\` (8.25 mm) at least: there the box has 1 line(s) of 16.97 em, and the text needs 2 or more (18 em without its spaces and closing marks, 18 character(s) an em wide); every license would have it cut with …, and \`sign files\` would issue no file. Widen the box, raise \`maxLines\` or lower \`minSize\``,
    ]);
    // What the layout makes of it: cut on every license.
    const box = { text: '山东省青岛市西海岸新区食品经营许可证', x: 0, y: 22, width: 140, size: 11 };
    expect(cut(box)).toBe(true);
    // Three characters fewer fit, shrunk, and load.
    const fewer = text.replace('山东省青岛市', '青岛市');
    expect(problemsOf(fewer)).toEqual([]);
    expect(cut({ ...box, text: '青岛市西海岸新区食品经营许可证' })).toBe(false);
  });

  it("loads the demo's templates, whose fixed texts fit", () => {
    for (const box of foodTemplate.texts.filter((t) => t.text !== undefined))
      expect(refused(box)).toBe(false);
  });

  it('is refused only where the layout cuts it, over boxes and texts of every kind', () => {
    const texts = [
      '食品经营许可证',
      '经营者名称：',
      '中华人民共和国道路运输经营许可证（副本）',
      'Food Business License 食品经营许可证',
      'JY23702110000001',
      '编号：No. 2024-05-06，第３号',
      '注：本许可证有效期五年。。。',
      '青岛\u00A0海韵\u00A0餐饮管理有限公司',
      'WWWWWWWWWWMMMMMMMMMM',
      '                食品',
    ];
    let refusals = 0;
    for (const text of texts) {
      for (const width of [5, 7.5, 12, 18, 25, 33, 41, 60]) {
        for (const maxLines of [1, 2, 3]) {
          for (const minSize of [undefined, 5, 2]) {
            const box: FaceText = {
              text,
              x: 10,
              y: 10,
              width,
              size: 5,
              maxLines,
              ...(minSize ? { minSize } : {}),
            };
            if (!refused(box)) continue;
            refusals++;
            expect(cut(box), JSON.stringify(box)).toBe(true);
          }
        }
      }
    }
    expect(refusals).toBeGreaterThan(50);
  });
});

describe("the catalog's advances for that check", () => {
  it('are at most the layout’s, for every code point, and its closing marks the layout’s', () => {
    expect([...MAY_HANG].sort()).toEqual([...NO_LINE_START].sort());
    const over: string[] = [];
    for (let cp = 0; cp <= 0x10ffff; cp += cp < 0x30000 ? 1 : 0x100) {
      const ch = String.fromCodePoint(cp);
      if (advanceAtLeast(cp) > widthEm(drawable(ch)) + 1e-12) over.push(cp.toString(16));
    }
    expect(over).toEqual([]);
    // Not a bound of nothing: a Chinese character, a capital and a digit are as the layout has them.
    for (const ch of ['青', 'W', '7', '（', 'ａ'])
      expect(advanceAtLeast(ch.codePointAt(0) as number)).toBe(widthEm(ch));
  });
});
