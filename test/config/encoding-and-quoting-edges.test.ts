// biome-ignore-all lint/suspicious/noTemplateCurlyInString: `${…}` is config reference syntax, not a template slip.
/**
 * Refusing non-UTF-8 files, inline secrets holding `${` and secrets YAML reads as tags must not
 * refuse a config that is right: UTF-8 with a byte order mark, CRLF line ends and characters
 * outside the BMP load; a password starting with `!` quoted, or holding `$${`, loads as written.
 * And a secret holding a space after its `!` start (`passphrase: !my own words`) is a tag on the
 * rest: the tag is the secret's start and is not shown either.
 */
import { describe, expect, it } from 'vitest';
import { formatConfigError, loadConfig } from '../../config/loader.js';
import { KEY_PEM, positionOf, problemsOf, VALID_CONFIG, writeConfig } from './fixtures.js';

const FROM = 'secret: "${env:LICBRIDGE_PROVINCE_SECRET:-demo-secret}"';
const FILES = { 'data/keys/seal.key.pem': KEY_PEM };
const withSecret = (written: string): string => {
  expect(VALID_CONFIG).toContain(FROM);
  return VALID_CONFIG.replace(FROM, () => `secret: ${written}`);
};

describe('a config that is right still loads', () => {
  it('UTF-8 with a byte order mark, CRLF line ends and a character outside the BMP (𠮷)', async () => {
    const named = VALID_CONFIG.replace('name: 青岛', 'name: 𠮷青岛');
    const file = await writeConfig(`\uFEFF${named}`.replace(/\n/g, '\r\n'), FILES);
    const config = await loadConfig({ file, env: {} });
    expect(config.pipelines['food-business-licenses']?.issuer.name).toBe('𠮷青岛西海岸新区市场监督管理局');
  });

  it('a password starting with `!` quoted, and one holding `$${` (a literal `${`)', async () => {
    const file = await writeConfig(withSecret('"!Qw3rty#9x$${q}"'), FILES);
    const config = await loadConfig({ file, env: {} });
    expect(JSON.stringify(config.targets)).toContain('"secret":"!Qw3rty#9x${q}"');
  });
});

describe('a secret YAML reads as a tag on the text after it', () => {
  it('is refused without showing the tag (the secret up to its first space)', async () => {
    const text = withSecret('!Qw3rty#9x my words');
    const { error, problems } = await problemsOf(text);
    expect(problems).toContainEqual(
      expect.objectContaining({
        ...positionOf(text, '!Qw3'),
        path: 'targets.province.auth.secret',
        message: expect.stringContaining('quote it'),
      }),
    );
    expect(formatConfigError(error)).not.toContain('Qw3rty');
  });

  it('a reference tag (`!file path`) is still named', async () => {
    const { problems } = await problemsOf(withSecret('!file ./secret.txt'));
    expect(problems.map((p) => p.message)).toContainEqual(expect.stringContaining('unknown tag `!file`'));
  });
});
