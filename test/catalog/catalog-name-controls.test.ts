/**
 * A catalog entry's names (the license type's, its defining body's, each face field's) holding an
 * ESC or another control character were loaded as given, so a name with an escape sequence reached
 * whatever printed it and a platform receiving it. A bidi override (U+202E) or a zero-width space
 * loaded too: the override turns the rest of the name around wherever it is printed or shown on a
 * license's face (Trojan Source, CVE-2021-42574), and a zero-width space makes two names that look
 * the same differ. Each is now refused at load, at the name's file:line:col, as every other catalog
 * problem is.
 */
import { describe, expect, it } from 'vitest';
import { buildCatalog } from '../../catalog/catalog.js';
import { DEMO_TYPE, demoEntryText, lineStarting as lineOf, entryProblems as problems } from './fixtures.js';

describe('catalog entry names with a control or invisible character', () => {
  it.each([
    ['ESC', '"食品\\e]0;owned\\a经营许可证"', ['U+001B', '食品<U+001B>]0;owned<U+0007>经营许可证']],
    [
      'RIGHT-TO-LEFT OVERRIDE',
      '"食品\\u202e证可许营经"',
      ['U+202E RIGHT-TO-LEFT OVERRIDE', '食品<U+202E>证可许营经'],
    ],
  ])('refuses a license type name holding %s, at its line', async (_what, name, said) => {
    const text = (await demoEntryText()).replace('name: 食品经营许可证', `name: ${name}`);
    const found = problems(text);
    expect(found).toEqual([
      expect.objectContaining({
        file: '/catalog/food.yaml',
        line: lineOf(text, 'name:'),
        column: 7,
        path: 'name',
      }),
    ]);
    for (const part of said) expect(found[0]?.message).toContain(part);
  });

  it.each([
    ['a control character', 'premi\\x9bses', 'premi\u009bses', 'U+009B'],
    ['a zero-width space', 'premises\\u200b', 'premises\u200b', 'U+200B ZERO WIDTH SPACE'],
  ])('refuses a face field name holding %s, at its key', async (_what, written, name, said) => {
    const text = (await demoEntryText())
      .replace('    premises:\n', `    "${written}":\n`)
      .replace('[legalRepresentative, premises,', `[legalRepresentative, "${written}",`);
    const found = problems(text).filter((p) => p.path.startsWith('surface.properties'));
    expect(found).toEqual([
      expect.objectContaining({
        line: lineOf(text, '    "premi'),
        column: 5,
        path: `surface.properties.${name}`,
      }),
    ]);
    expect(found[0]?.message).toContain(said);
  });

  it('refuses a defining body name holding a line break, and still loads the entry without one', async () => {
    const demo = await demoEntryText();
    const text = demo.replace('  name: 青岛市市场监督管理局', '  name: "青岛市\\r市场监督管理局"');
    expect(problems(text).map((p) => p.path)).toEqual(['defineAuthority.name']);
    expect(buildCatalog([{ file: '/catalog/food.yaml', text: demo }]).get(DEMO_TYPE)?.name).toBe(
      '食品经营许可证',
    );
  });

  it('still loads names of Chinese text and ASCII punctuation', async () => {
    const text = (await demoEntryText()).replace('name: 食品经营许可证', 'name: "食品经营许可证（副本）- A"');
    expect(buildCatalog([{ file: '/catalog/food.yaml', text }]).get(DEMO_TYPE)?.name).toBe(
      '食品经营许可证（副本）- A',
    );
  });
});
