/**
 * In a YAML 1.1 file (`%YAML 1.1`) a number with a leading zero is octal and one with colons is
 * base 60: `pageSize: 0100` loaded as 64, `lagMs: 1:30` as 90, inside every schema bound and
 * without a word. Such a number is a problem at its line naming the value YAML read; in a YAML
 * 1.2 file, which reads `0100` as 100, it loads as before.
 */
import { describe, expect, it } from 'vitest';
import { loadConfig } from '../../config/loader.js';
import { KEY_PEM, problemsOf, VALID_CONFIG, writeConfig } from './fixtures.js';

const YAML_11 = '%YAML 1.1\n---\n';
const SOURCE = 'market-food: { kind: sqlite, path: ./data/legacy.db, trim: all }';

describe('a YAML 1.1 number read otherwise than its digits say', () => {
  it('an octal `0100` is a problem naming 64', async () => {
    const text = `${YAML_11}${VALID_CONFIG}lifecycle: { pageSize: 0100 }\n`;
    const { problems } = await problemsOf(text);
    expect(problems.map((p) => [p.path, p.message])).toEqual([
      ['lifecycle.pageSize', expect.stringContaining('`0100` is read by YAML 1.1 as the number 64')],
    ]);
  });

  it('a base-60 `1:30` is a problem naming 90', async () => {
    expect(VALID_CONFIG).toContain(SOURCE);
    const text = `${YAML_11}${VALID_CONFIG.replace(SOURCE, 'market-food: { kind: sqlite, path: ./data/legacy.db, lagMs: 1:30 }')}`;
    const { problems } = await problemsOf(text);
    expect(problems.map((p) => [p.path, p.message])).toEqual([
      ['sources.market-food.lagMs', expect.stringContaining('`1:30` is read by YAML 1.1 as the number 90')],
    ]);
  });

  it('in a YAML 1.2 file `0100` is 100, as before', async () => {
    const file = await writeConfig(`${VALID_CONFIG}lifecycle: { pageSize: 0100 }\n`, {
      'data/keys/seal.key.pem': KEY_PEM,
    });
    const config = await loadConfig({ file, env: {} });
    expect(config.lifecycle?.pageSize).toBe(100);
  });
});
