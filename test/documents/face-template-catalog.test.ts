// Face templates in the catalog: the demo's two license types load with theirs, and a template
// that names a field the type does not have, reaches off the page or has a typo fails to load
// with the file and line of the mistake.
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadCatalog } from '../../catalog/catalog.js';
import { ROOT } from '../support/cli.js';
import { foodEntry, lineOf, problemsOf, ROAD_CATALOG } from './face-catalog-fixture.js';

describe('face templates in the catalog', () => {
  it("loads the demo's two license types with their templates", async () => {
    const food = await loadCatalog(join(ROOT, 'examples/west-coast/catalog'));
    const road = await loadCatalog(ROAD_CATALOG);
    const [f] = food.entries();
    const [r] = road.entries();
    expect(f?.face?.texts.map((t) => t.field ?? t.text)).toContain('surface.businessItems');
    expect(f?.face?.seal).toEqual({ x: 200, y: 140, width: 42, height: 42 });
    expect(r?.face?.qr.url).toBe('https://zwfw.shandong.gov.cn/verify?id={identifier}');
  });

  it('names the line of a field the license type does not have', async () => {
    const text = (await foodEntry()).replace('field: surface.businessForm', 'field: surface.businessFrom');
    expect(problemsOf(text)).toEqual([
      expect.stringMatching(
        new RegExp(
          `^${lineOf(text, 'surface.businessFrom')}: face.texts.5.field: \`surface.businessFrom\` is not a field of this license type \\(fields: .*surface.businessForm`,
        ),
      ),
    ]);
  });

  it('names the line of a seal or text box that reaches off the page', async () => {
    const text = (await foodEntry())
      .replace('seal: { x: 200, y: 140,', 'seal: { x: 270, y: 140,')
      .replace('x: 175, y: 55, width: 100', 'x: 175, y: 55, width: 130');
    expect(problemsOf(text)).toEqual([
      `${lineOf(text, 'x: 175, y: 55, width: 130')}: face.texts.7: the text box (1 line(s) of 4.5 mm) reaches past the 297 × 210 mm page`,
      `${lineOf(text, 'seal: { x: 270')}: face.seal: the seal reaches past the 297 × 210 mm page`,
    ]);
  });

  it('names the line of an unknown key and of a box with both text and field', async () => {
    const text = (await foodEntry())
      .replace('qr: { x: 30, y: 150, size: 30 }', 'qr: { x: 30, y: 150, size: 30, colour: red }')
      .replace('{ text: 食品经营许可证,', '{ text: 食品经营许可证, field: number,');
    const problems = problemsOf(text);
    expect(problems).toContain(`${lineOf(text, 'colour: red')}: face.qr.colour: unknown key \`colour\``);
    // The semantic check runs only on a template the schema accepts: fix the typo, then it speaks.
    expect(problemsOf(text.replace(', colour: red', ''))).toEqual([
      `${lineOf(text, 'field: number,')}: face.texts.0: give exactly one of \`text\` and \`field\``,
    ]);
  });

  it('names the line of a minSize above size, and refuses one under 1 mm', async () => {
    const food = await foodEntry();
    const above = food.replace('size: 4.5, maxLines: 2 }', 'size: 4.5, minSize: 5, maxLines: 2 }');
    expect(problemsOf(above)).toEqual([
      `${lineOf(above, 'minSize: 5')}: face.texts.4.minSize: expected \`minSize\` to be at most \`size\` (4.5 mm), got \`5\``,
    ]);
    const under = food.replace('size: 4.5, maxLines: 2 }', 'size: 4.5, minSize: 0.5, maxLines: 2 }');
    expect(problemsOf(under)).toEqual([expect.stringMatching(/^\d+: face\.texts\.4\.minSize: /)]);
    expect(
      problemsOf(food.replace('size: 4.5, maxLines: 2 }', 'size: 4.5, minSize: 3, maxLines: 2 }')),
    ).toEqual([]);
  });
});
