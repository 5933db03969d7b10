import { describe, expect, it } from 'vitest';
import { formatConfigError, loadConfig } from '../../config/loader.js';
import type { ConfigError } from '../../core/errors.js';
import { KEY_PEM, positionOf, problemsOf, VALID_CONFIG, writeConfig } from './fixtures.js';

/** What loading `text` fails with, formatted; `ok` when it loads. */
async function loaded(text: string): Promise<string> {
  const file = await writeConfig(text, { 'data/keys/seal.key.pem': KEY_PEM });
  return loadConfig({ file, env: {} }).then(
    () => 'ok',
    (e: unknown) => formatConfigError(e as ConfigError),
  );
}

/** The demo config with its source an xml-files folder carrying `extra` (a YAML flow fragment). */
const xmlSource = (extra: string): string => {
  const from = 'market-food: { kind: sqlite, path: ./data/legacy.db, trim: all }';
  expect(VALID_CONFIG).toContain(from);
  return VALID_CONFIG.replace(
    from,
    `market-food: { kind: xml-files, path: ./exports, recordPath: T_SPXK_XKZ${extra} }`,
  );
};

describe('an xml-files source refuses the settings only a database has', () => {
  for (const [key, value] of [
    ['statementTimeoutMs', '120000'],
    ['connectTimeoutMs', '30000'],
    ['lagMs', '60000'],
  ] as const) {
    it(`\`${key}\` fails the load at its line, saying it applies to database sources only`, async () => {
      const text = xmlSource(`, ${key}: ${value}`);
      const { problems, error } = await problemsOf(text);
      expect(problems).toHaveLength(1);
      expect(problems[0]).toMatchObject({ ...positionOf(text, key), path: 'sources.market-food' });
      expect(problems[0]?.message).toMatch(
        new RegExp(`^\`${key}\` applies to database sources only; an xml-files source `),
      );
      expect(formatConfigError(error)).toContain(`licbridge.yaml:${positionOf(text, key).line}:`);
    });
  }

  it('readWindow and maxRowsPerSecond load: an xml-files source honours them', async () => {
    expect(await loaded(xmlSource(', readWindow: "20:00-06:00", maxRowsPerSecond: 200'))).toBe('ok');
  });

  it('a SQL source still takes them', async () => {
    const text = VALID_CONFIG.replace('trim: all }', 'trim: all, statementTimeoutMs: 120000, lagMs: 5000 }');
    expect(await loaded(text)).toBe('ok');
  });
});

describe('an xml-files source refuses charset repair, which is for latin1 database columns', () => {
  it('`charset` fails the load at its line, pointing at `encoding`', async () => {
    const text = xmlSource(', charset: { repair: [JYZMC] }');
    const { problems } = await problemsOf(text);
    expect(problems).toHaveLength(1);
    expect(problems[0]).toMatchObject({ ...positionOf(text, 'charset'), path: 'sources.market-food' });
    expect(problems[0]?.message).toMatch(/^`charset` applies to database sources only; .*`encoding`/);
  });
});
