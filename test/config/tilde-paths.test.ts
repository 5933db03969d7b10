// biome-ignore-all lint/suspicious/noTemplateCurlyInString: `${env:…}` and `${file:…}` are config reference syntax, not template slips.
/**
 * A path starting with `~` (`catalog: ~/licbridge/catalog`) is expanded by a shell, not by
 * licbridge: a relative path is the config file's folder's, so it loaded as
 * `<config folder>/~/licbridge/catalog`, a folder no one made, and the command that opened it
 * failed later. As `connection.libDir` already was, each file and folder the config names is
 * refused at its line when it starts with `~`, and so is a `${file:~/…}` reference.
 */
import { describe, expect, it } from 'vitest';
import { loadConfig } from '../../config/loader.js';
import { KEY_PEM, positionOf, problemsOf, VALID_CONFIG, writeConfig } from './fixtures.js';

const broken = (from: string, to: string, extra = ''): string => {
  expect(VALID_CONFIG).toContain(from);
  return `${VALID_CONFIG.replace(from, to)}${extra}`;
};

describe('a path starting with `~`', () => {
  it.each([
    ['catalog', 'catalog: ./catalog', 'catalog: ~/licbridge/catalog'],
    ['sources.market-food.path', 'path: ./data/legacy.db', 'path: ~/legacy.db'],
    [
      'pipelines.food-business-licenses.mapping',
      'mapping: ./mappings/food-business-license.yaml',
      'mapping: ~/mappings/food.yaml',
    ],
    ['ledger.url', 'url: "sqlite://./data/ledger.db"', 'url: "sqlite://~/ledger.db"'],
    [
      'signers.district-seal.key',
      'key: "${file:./data/keys/seal.key.pem}"',
      'key: "${file:~/keys/seal.pem}"',
    ],
  ])('%s is refused at its line', async (path, from, to) => {
    const text = broken(from, to);
    const { problems } = await problemsOf(text);
    expect(problems.map((p) => p.path)).toEqual([path]);
    expect(problems[0]?.line).toBe(positionOf(text, to).line);
    expect(problems[0]?.message).toMatch(/`~` is not expanded/);
  });

  it('the file store and a trusted key file too', async () => {
    const text = `${VALID_CONFIG}licenseFiles: { store: ~/files }\ntrust:\n  old-seal: { sealId: "37021100001", file: ~/old.pem }\n`;
    const { problems } = await problemsOf(text);
    expect(problems.map((p) => p.path)).toEqual(['licenseFiles.store', 'trust.old-seal.file']);
  });

  it('from a reference, named by the reference', async () => {
    const text = broken('catalog: ./catalog', 'catalog: "${env:CATALOG}"');
    const { problems } = await problemsOf(text, { CATALOG: '~/catalog' });
    expect(problems.map((p) => p.path)).toEqual(['catalog']);
    expect(problems[0]?.message).toContain('`${env:CATALOG}`');
  });

  it('a `~` further on in a path is a plain character and loads', async () => {
    const file = await writeConfig(broken('catalog: ./catalog', 'catalog: ./old~/catalog'), {
      'data/keys/seal.key.pem': KEY_PEM,
    });
    const config = await loadConfig({ file, env: {} });
    expect(config.catalog.endsWith('/old~/catalog')).toBe(true);
  });
});
