/**
 * A key holding an invisible character (a zero-width space copied along from a document) looks
 * like the key it was meant to be: "unknown key `cursor`" named a key the schema knows. The
 * message writes the character by its code point, as the catalog's does (core/invisible-text.ts).
 */
import { describe, expect, it } from 'vitest';
import { positionOf, problemsOf, VALID_CONFIG } from './fixtures.js';

const broken = (from: string, to: string): string => {
  expect(VALID_CONFIG).toContain(from);
  return VALID_CONFIG.replace(from, to);
};

describe('an invisible character in a config key', () => {
  it('is named by its code point and place in an unknown key', async () => {
    const text = broken('cursor: GXSJ', 'cursor\u200b: GXSJ');
    const { problems } = await problemsOf(text);
    expect(problems).toEqual([
      expect.objectContaining({
        ...positionOf(text, 'cursor\u200b'),
        path: 'pipelines.food-business-licenses.stream',
        message:
          'unknown key `cursor<U+200B>`: it holds U+200B ZERO WIDTH SPACE, an invisible character, at character 7; delete it (editors hide it); did you mean `cursor`?',
      }),
    ]);
  });

  it('is named in a name the config gives (a pipeline, a target)', async () => {
    const text = broken('  food-business-licenses:', '  food\u2060-business-licenses:');
    const { problems } = await problemsOf(text);
    expect(problems.map((p) => p.message)).toEqual([
      '`food<U+2060>-business-licenses` is not a valid name: it holds U+2060 WORD JOINER, an invisible character, at character 5; delete it (editors hide it)',
    ]);
  });

  it('leaves a plain typo and a plain bad name as they were', async () => {
    const typo = await problemsOf(broken('cursor: GXSJ', 'cursr: GXSJ'));
    expect(typo.problems.map((p) => p.message)).toEqual(['unknown key `cursr`; did you mean `cursor`?']);
    const name = await problemsOf(broken('  food-business-licenses:', '  Food-business-licenses:'));
    expect(name.problems.map((p) => p.message)).toEqual([
      '`Food-business-licenses` is not a valid name: expected a name of lowercase letters, digits and `-`, starting with a letter',
    ]);
  });
});
