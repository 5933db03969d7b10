/**
 * A catalog entry's names (the license type's, its defining body's, each face field's) holding an
 * ESC or another control character were loaded as given, so a name with an escape sequence reached
 * whatever printed it and a platform receiving it. Each is now refused at load, at the name's
 * file:line:col, as every other catalog problem is.
 */
import { describe, expect, it } from 'vitest';
import { buildCatalog } from '../../catalog/catalog.js';
import { DEMO_TYPE, demoEntryText, lineStarting as lineOf, entryProblems as problems } from './fixtures.js';

describe('catalog entry names with a control character', () => {
  it('refuses a license type name holding ESC, at its line', async () => {
    const text = (await demoEntryText()).replace(
      'name: 食品经营许可证',
      'name: "食品\\e]0;owned\\a经营许可证"',
    );
    const found = problems(text);
    expect(found).toEqual([
      expect.objectContaining({
        file: '/catalog/food.yaml',
        line: lineOf(text, 'name:'),
        column: 7,
        path: 'name',
      }),
    ]);
    expect(found[0]?.message).toContain('U+001B');
    expect(found[0]?.message).toContain('食品<U+001B>]0;owned<U+0007>经营许可证');
  });

  it('refuses a face field name holding a control character, at its key', async () => {
    const text = (await demoEntryText())
      .replace('    premises:\n', '    "premi\\x9bses":\n')
      .replace('[legalRepresentative, premises,', '[legalRepresentative, "premi\\x9bses",');
    const found = problems(text).filter((p) => p.path.startsWith('surface.properties'));
    expect(found).toEqual([
      expect.objectContaining({
        line: lineOf(text, '    "premi'),
        column: 5,
        path: 'surface.properties.premi\u009bses',
      }),
    ]);
    expect(found[0]?.message).toContain('U+009B');
  });

  it('refuses a defining body name holding a line break, and still loads the entry without one', async () => {
    const demo = await demoEntryText();
    const text = demo.replace('  name: 青岛市市场监督管理局', '  name: "青岛市\\r市场监督管理局"');
    expect(problems(text).map((p) => p.path)).toEqual(['defineAuthority.name']);
    expect(buildCatalog([{ file: '/catalog/food.yaml', text: demo }]).get(DEMO_TYPE)?.name).toBe(
      '食品经营许可证',
    );
  });
});
