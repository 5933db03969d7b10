/**
 * A pipeline reading an xml-files source: the stream settings only a database source reads
 * (`query`, `params`, `lagMs`, `keyUnique`) were taken and ignored — a `query` meant to narrow the
 * rows read narrowed nothing. Each fails the load at its key, naming the source.
 */
import { describe, expect, it } from 'vitest';
import { loadConfig } from '../../config/loader.js';
import { KEY_PEM, positionOf, problemsOf, VALID_CONFIG, writeConfig } from './fixtures.js';

const STREAM = 'stream: { table: T_SPXK_XKZ, key: ID, cursor: GXSJ }';

function config(extra: string, kind: 'xml-files' | 'sqlite'): string {
  const from = 'market-food: { kind: sqlite, path: ./data/legacy.db, trim: all }';
  expect(VALID_CONFIG).toContain(from);
  expect(VALID_CONFIG).toContain(STREAM);
  const source =
    kind === 'xml-files' ? 'market-food: { kind: xml-files, path: ./exports, recordPath: T_SPXK_XKZ }' : from;
  return VALID_CONFIG.replace(from, source).replace(
    STREAM,
    `stream: { table: T_SPXK_XKZ, key: ID, cursor: GXSJ${extra} }`,
  );
}

describe('stream settings of a pipeline reading an xml-files source', () => {
  for (const [key, value] of [
    ['query', '"select * from T_SPXK_XKZ where ZT = ?"'],
    ['params', '["1"]'],
    ['lagMs', '60000'],
    ['keyUnique', 'true'],
  ] as const) {
    it(`\`stream.${key}\` fails the load at its line, naming the source`, async () => {
      const text = config(`, ${key}: ${value}`, 'xml-files');
      const { problems } = await problemsOf(text);
      expect(problems).toHaveLength(1);
      const at = positionOf(text, `GXSJ, ${key}:`);
      expect(problems[0]).toMatchObject({
        line: at.line,
        // At the value, as every problem at a key's path is.
        column: at.column + `GXSJ, ${key}: `.length,
        path: `pipelines.food-business-licenses.stream.${key}`,
      });
      expect(problems[0]?.message).toMatch(
        new RegExp(
          `^\`stream\\.${key}\` applies to database sources only; source market-food is an xml-files source`,
        ),
      );
    });
  }

  it('a pipeline reading a database source still takes them', async () => {
    const file = await writeConfig(config(', lagMs: 5000, keyUnique: true', 'sqlite'), {
      'data/keys/seal.key.pem': KEY_PEM,
    });
    const loaded = await loadConfig({ file, env: {} });
    expect(loaded.pipelines['food-business-licenses']?.stream.keyUnique).toBe(true);
  });
});
