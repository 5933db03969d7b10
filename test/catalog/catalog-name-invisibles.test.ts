/**
 * A license type name holding a bidi override (U+202E) or a zero-width space loaded as given,
 * where a control character was refused: the override turns the rest of the name around wherever
 * it is printed or shown on a license's face (Trojan Source, CVE-2021-42574), and a zero-width
 * space makes two names that look the same differ. Both are now refused at the name's
 * file:line:col, as a control character is.
 */
import { describe, expect, it } from 'vitest';
import { buildCatalog } from '../../catalog/catalog.js';
import { DEMO_TYPE, demoEntryText, lineStarting as lineOf, entryProblems as problems } from './fixtures.js';

describe('catalog entry names with an invisible character', () => {
  it('refuses a license type name holding RIGHT-TO-LEFT OVERRIDE, at its line', async () => {
    const text = (await demoEntryText()).replace('name: 食品经营许可证', 'name: "食品\\u202e证可许营经"');
    const found = problems(text);
    expect(found).toEqual([
      expect.objectContaining({
        file: '/catalog/food.yaml',
        line: lineOf(text, 'name:'),
        column: 7,
        path: 'name',
      }),
    ]);
    expect(found[0]?.message).toContain('U+202E RIGHT-TO-LEFT OVERRIDE');
    expect(found[0]?.message).toContain('食品<U+202E>证可许营经');
  });

  it('refuses a face field name holding a zero-width space, at its key', async () => {
    const text = (await demoEntryText())
      .replace('    premises:\n', '    "premises\\u200b":\n')
      .replace('[legalRepresentative, premises,', '[legalRepresentative, "premises\\u200b",');
    const found = problems(text).filter((p) => p.path.startsWith('surface.properties'));
    expect(found).toEqual([
      expect.objectContaining({
        line: lineOf(text, '    "premises'),
        column: 5,
        path: 'surface.properties.premises\u200b',
      }),
    ]);
    expect(found[0]?.message).toContain('U+200B ZERO WIDTH SPACE');
  });

  it('still loads names of Chinese text and ASCII punctuation', async () => {
    const text = (await demoEntryText()).replace('name: 食品经营许可证', 'name: "食品经营许可证（副本）- A"');
    expect(buildCatalog([{ file: '/catalog/food.yaml', text }]).get(DEMO_TYPE)?.name).toBe(
      '食品经营许可证（副本）- A',
    );
  });
});
