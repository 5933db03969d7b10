// biome-ignore-all lint/suspicious/noTemplateCurlyInString: `${env:…}` and `${file:…}` are config reference syntax, not template slips.
import { describe, expect, it } from 'vitest';
import { loadConfig } from '../../config/loader.js';
import { KEY_PEM, positionOf, problemsOf, VALID_CONFIG, writeConfig } from './fixtures.js';

const SOURCE = 'market-food: { kind: sqlite, path: ./data/legacy.db, trim: all }';
const withPort = (port: string): string => {
  expect(VALID_CONFIG).toContain(SOURCE);
  return VALID_CONFIG.replace(
    SOURCE,
    `market-food: { kind: postgres, connection: { host: db, port: ${port}, database: x, user: u } }`,
  );
};

describe('a port written as a string of digits', () => {
  it.each(['"99999"', '"0"'])('out of range (%s) is a config problem with its line', async (port) => {
    const text = withPort(port);
    const { problems } = await problemsOf(text);
    expect(problems).toEqual([
      expect.objectContaining({
        ...positionOf(text, port),
        path: 'sources.market-food.connection.port',
        message: `expected a port from 1 to 65535, got \`${port.slice(1, -1)}\` (string)`,
      }),
    ]);
  });

  it('out of range from the environment names the reference', async () => {
    const { problems } = await problemsOf(withPort('"${env:DB_PORT}"'), { DB_PORT: '70000' });
    expect(problems.map((p) => p.message)).toEqual([
      'expected a port from 1 to 65535, got a string from `${env:DB_PORT}`',
    ]);
  });

  it('in range loads', async () => {
    const file = await writeConfig(withPort('"${env:DB_PORT}"'), { 'data/keys/seal.key.pem': KEY_PEM });
    const config = await loadConfig({ file, env: { DB_PORT: '5432' } });
    expect(config.sources['market-food']).toMatchObject({ connection: { port: '5432' } });
  });
});
