/**
 * An xml-files source's `lists` names the elements read as a list in every record. It is a config
 * key like any other: loaded, and a name that is no element name refused at its line.
 */
import { describe, expect, it } from 'vitest';
import { loadConfig } from '../../config/loader.js';
import { KEY_PEM, positionOf, problemsOf, VALID_CONFIG, writeConfig } from './fixtures.js';

const xmlSource = (lists: string): string => {
  const from = 'market-food: { kind: sqlite, path: ./data/legacy.db, trim: all }';
  expect(VALID_CONFIG).toContain(from);
  return VALID_CONFIG.replace(
    from,
    `market-food: { kind: xml-files, path: ./exports, recordPath: T_SPXK_XKZ, lists: ${lists} }`,
  );
};

describe('xml-files: lists', () => {
  it('loads element names', async () => {
    const file = await writeConfig(xmlSource('[XM, JYXM, ZT.XM]'), { 'data/keys/seal.key.pem': KEY_PEM });
    const config = await loadConfig({ file, env: {} });
    expect((config.sources['market-food'] as { lists?: unknown }).lists).toEqual(['XM', 'JYXM', 'ZT.XM']);
  });

  it('refuses a path at its line', async () => {
    const text = xmlSource("[XM, 'Records/XM']");
    const { problems } = await problemsOf(text);
    expect(problems).toHaveLength(1);
    expect(problems[0]).toMatchObject({
      ...positionOf(text, "'Records/XM'"),
      path: 'sources.market-food.lists[1]',
    });
  });

  it('refuses an empty list and a name given twice', async () => {
    expect((await problemsOf(xmlSource('[]'))).problems[0]?.path).toBe('sources.market-food.lists');
    expect((await problemsOf(xmlSource('[XM, XM]'))).problems[0]?.path).toBe('sources.market-food.lists[1]');
  });
});
