// biome-ignore-all lint/suspicious/noTemplateCurlyInString: `${env:…}` and `${file:…}` are config reference syntax, not template slips.
/**
 * In a flow mapping (`{ … }`) a `,` ends an unquoted value: `secret: Gx9,k2Secret` loads the secret
 * `Gx9` and a key `k2Secret` with no value, and the problem said was "unknown key `k2Secret`" —
 * the secret's tail printed, and its head loaded as though it were the secret. Refused at the
 * secret's line instead, showing neither part; quoted, the whole secret loads.
 */
import { describe, expect, it } from 'vitest';
import { formatConfigError, loadConfig } from '../../config/loader.js';
import { KEY_PEM, positionOf, problemsOf, VALID_CONFIG, writeConfig } from './fixtures.js';

const SECRET = 'secret: "${env:LICBRIDGE_PROVINCE_SECRET:-demo-secret}"';

const withSecret = (written: string): string => {
  expect(VALID_CONFIG).toContain(SECRET);
  return VALID_CONFIG.replace(SECRET, `secret: ${written}`);
};

describe('an unquoted secret holding `,` in a flow mapping', () => {
  it.each([
    ['Gx9,k2Secret', ['Gx9', 'k2Secret']],
    ['Gx9, k2Secret', ['Gx9', 'k2Secret']],
    ['Gx9,k2Secret,zz7Q', ['Gx9', 'k2Secret', 'zz7Q']],
  ])('`%s` is refused at its line, neither part shown', async (written, parts) => {
    const text = withSecret(written);
    const { problems, error, file } = await problemsOf(text);
    expect(problems.map((p) => p.path)).toEqual(['targets.province.auth.secret']);
    const at = positionOf(text, written);
    expect({ line: problems[0]?.line, column: problems[0]?.column }).toEqual(at);
    expect(problems[0]?.message).toContain('`,`');
    const shown = formatConfigError(error);
    expect(shown).toContain(`${file}:${at.line}:${at.column}`);
    for (const part of parts) expect(shown).not.toContain(part);
  });

  it('quoted, the whole secret loads', async () => {
    const file = await writeConfig(withSecret('"Gx9,k2Secret"'), { 'data/keys/seal.key.pem': KEY_PEM });
    const config = await loadConfig({ file, env: {} });
    expect(config.targets.province).toMatchObject({ auth: { secret: 'Gx9,k2Secret' } });
  });

  it('a key with no value after a value that is no secret is still an unknown key', async () => {
    const text = VALID_CONFIG.replace(
      'stream: { table: T_SPXK_XKZ, key: ID, cursor: GXSJ }',
      'stream: { table: T_SPXK_XKZ, key: ID,cursr, cursor: GXSJ }',
    );
    const { problems } = await problemsOf(text);
    expect(problems.map((p) => [p.path, p.message])).toEqual([
      ['pipelines.food-business-licenses.stream', expect.stringContaining('unknown key `cursr`')],
    ]);
  });
});
