/**
 * An xml-files `pattern` is matched against the names a folder lists: one holding a `/`
 * (`2026-11-05/*.xml`, `**\/*.xml`) matches none, so every run read the folder as empty. The load
 * refuses it at its line, so `config check` says so without opening the source.
 */
import { describe, expect, it } from 'vitest';
import { formatConfigError, loadConfig } from '../../config/loader.js';
import { KEY_PEM, positionOf, problemsOf, VALID_CONFIG, writeConfig } from './fixtures.js';

const xmlSource = (pattern: string): string => {
  const from = 'market-food: { kind: sqlite, path: ./data/legacy.db, trim: all }';
  expect(VALID_CONFIG).toContain(from);
  return VALID_CONFIG.replace(
    from,
    `market-food: { kind: xml-files, path: ./exports, recordPath: T_SPXK_XKZ, pattern: '${pattern}' }`,
  );
};

describe('xml-files: a pattern naming a path', () => {
  it.each(['2026-11-05/*.xml', '**/*.xml'])(
    '%s fails the load at its line, naming the value',
    async (pattern) => {
      const text = xmlSource(pattern);
      const { problems, error } = await problemsOf(text);
      expect(problems).toHaveLength(1);
      expect(problems[0]).toMatchObject({
        ...positionOf(text, `'${pattern}'`),
        path: 'sources.market-food.pattern',
      });
      expect(problems[0]?.message).toContain('a glob on file names, without `/`');
      expect(problems[0]?.message).toContain(pattern);
      expect(formatConfigError(error)).toContain(`licbridge.yaml:${positionOf(text, 'pattern').line}:`);
    },
  );

  it('a glob on file names loads', async () => {
    const file = await writeConfig(xmlSource('SPXK_[0-9]*.XML'), { 'data/keys/seal.key.pem': KEY_PEM });
    await expect(loadConfig({ file, env: {} })).resolves.toBeDefined();
  });
});
