/**
 * A front-db target on SQLite names its database file: without `path` SQLite opens a temporary
 * database, and rows written there would be answered accepted and be gone when the target closed.
 * The config loader refuses it at the target's `client`, naming the target.
 */
import { describe, expect, it } from 'vitest';
import { loadConfig } from '../../config/loader.js';
import { KEY_PEM, problemsOf, VALID_CONFIG, writeConfig } from './fixtures.js';

const withFrontDb = (settings: string) => `${VALID_CONFIG}  city-front: { kind: front-db, ${settings} }\n`;

describe('front-db on SQLite without a path', () => {
  it('is a config problem at `client`, naming the target', async () => {
    const text = withFrontDb('client: sqlite, dataSource: 11370211MB1234567X, createTable: true');
    const { problems } = await problemsOf(text);
    expect(problems).toHaveLength(1);
    expect(problems[0]).toMatchObject({
      path: 'targets.city-front.client',
      line: text.split('\n').findIndex((l) => l.includes('city-front:')) + 1,
      message: 'target city-front: expected `path`, the database file, with `client: sqlite`, got none',
    });
  });

  it('loads with a path, and a server client needs none', async () => {
    const files = { 'data/keys/seal.key.pem': KEY_PEM };
    for (const settings of [
      'client: sqlite, path: ./front.db, dataSource: 11370211MB1234567X',
      'client: postgres, connection: { host: 10.0.8.20, database: qzk }, dataSource: 11370211MB1234567X',
    ]) {
      const config = await loadConfig({ file: await writeConfig(withFrontDb(settings), files), env: {} });
      expect(config.targets['city-front']).toMatchObject({ kind: 'front-db' });
    }
  });
});
