// A box of several lines (经营场所, a list of business items: `maxLines`) reaching down into the
// box below it loaded, and a value long enough to take its later lines was drawn over the text
// of that box on the sealed license. Refused when the catalog loads, at the upper box's line,
// naming the box it reaches into; boxes side by side on one row, or apart, still load.
import { describe, expect, it } from 'vitest';
import { loadCatalog } from '../../catalog/catalog.js';
import { foodEntry, lineOf, problemsOf, ROAD_CATALOG } from '../documents/face-catalog-fixture.js';

describe('a box whose later lines reach into the box below it', () => {
  it('is refused at its line, naming the box it reaches into', async () => {
    // 经营场所: 2 lines of 4.5 mm from y 91 take it to 103.15 mm; 主体业态 moved up to 100.
    const text = (await foodEntry()).replace(
      'prefix: 主体业态：, x: 30, y: 110,',
      'prefix: 主体业态：, x: 30, y: 100,',
    );
    expect(problemsOf(text)).toEqual([
      `${lineOf(text, 'field: surface.premises')}: face.texts.4: its 2 line(s) of 4.5 mm reach down to 103.15 mm, past the top of face.texts.5 (surface.businessForm) at 100 mm: a value that takes them would be drawn over that box's text. Move that box down to 103.15 mm, or lower \`maxLines\``,
    ]);
  });

  it('loads boxes on one row side by side, and a box below the lines or beside them', async () => {
    const food = await foodEntry();
    expect(problemsOf(food)).toEqual([]);
    // The number's box, right of the items' lines (x 175), moved down beside them.
    expect(
      problemsOf(
        food.replace('prefix: 许可证编号：, x: 175, y: 55,', 'prefix: 许可证编号：, x: 175, y: 125,'),
      ),
    ).toEqual([]);
    // A caption box wider than its text on the row of the value it captions.
    expect(
      problemsOf(
        food.replace(
          '    - { field: holder.name, prefix: 经营者名称：, x: 30, y: 55, width: 130, size: 4.5 }',
          '    - { text: 经营者名称：, x: 30, y: 55, width: 130, size: 4.5 }\n    - { field: holder.name, x: 57, y: 55, width: 103, size: 4.5 }',
        ),
      ),
    ).toEqual([]);
    // The road transport demo: 地址 and 经营范围 of 2 and 3 lines, with room below each.
    await expect(loadCatalog(ROAD_CATALOG)).resolves.toBeDefined();
  });
});
