/**
 * The `exchangeStatus` setting of a front-db target as the config loader takes it: lists of codes
 * written as text, neither empty, with the file position and the value got in each problem.
 */
import { describe, expect, it } from 'vitest';
import { loadConfig } from '../../config/loader.js';
import { KEY_PEM, problemsOf, VALID_CONFIG, writeConfig } from '../config/fixtures.js';

const withFrontDb = (exchangeStatus: string | undefined) =>
  `${VALID_CONFIG}  city-front: { kind: front-db, client: sqlite, path: ./front.db, dataSource: 11370211MB1234567X${
    exchangeStatus === undefined ? '' : `, exchangeStatus: ${exchangeStatus}`
  } }\n`;

const FIELD = 'targets.city-front.exchangeStatus';

describe('front-db `exchangeStatus` in the config', () => {
  it('loads the codes as written, and nothing when the setting is absent', async () => {
    const files = { 'data/keys/seal.key.pem': KEY_PEM };
    const set = await loadConfig({
      file: await writeConfig(withFrontDb(`{ accepted: ['1'], rejected: ['2', '9'] }`), files),
      env: {},
    });
    expect(set.targets['city-front']).toMatchObject({
      exchangeStatus: { accepted: ['1'], rejected: ['2', '9'] },
    });
    const unset = await loadConfig({ file: await writeConfig(withFrontDb(undefined), files), env: {} });
    expect(unset.targets['city-front']).not.toHaveProperty('exchangeStatus');
  });

  it('refuses an empty list, naming the field', async () => {
    const { problems } = await problemsOf(withFrontDb(`{ accepted: [], rejected: ['2'] }`));
    expect(problems).toHaveLength(1);
    expect(problems[0]?.path).toBe(`${FIELD}.accepted`);
    expect(problems[0]?.line).toBeGreaterThan(1);
  });

  it('refuses a code written as a number, naming the field and the value got', async () => {
    const { problems } = await problemsOf(withFrontDb(`{ accepted: [1], rejected: ['2'] }`));
    expect(problems[0]?.path).toBe(`${FIELD}.accepted[0]`);
    expect(problems[0]?.message).toContain('expected string, got `1` (number)');
  });

  it('refuses a missing list and an unknown key', async () => {
    const missing = await problemsOf(withFrontDb(`{ accepted: ['1'] }`));
    expect(missing.problems.map((p) => p.message).join('\n')).toContain('rejected');
    const typo = await problemsOf(withFrontDb(`{ accepted: ['1'], rejected: ['2'], rejectd: ['9'] }`));
    expect(typo.problems.map((p) => `${p.path} ${p.message}`).join('\n')).toContain('rejectd');
  });
});
