// biome-ignore-all lint/suspicious/noTemplateCurlyInString: `${env:…}` is config reference syntax, not a template slip.
/**
 * A `soap-xml` target's WS-Security UsernameToken takes `username` and `password` together. With
 * one of them left out, no token was sent at all, the config loaded, `config check` passed, and
 * the service refused every request of every run as unauthenticated. The loader refuses it at
 * the missing setting.
 */
import { describe, expect, it } from 'vitest';
import { loadConfig } from '../../config/loader.js';
import { KEY_PEM, problemsOf, VALID_CONFIG, writeConfig } from '../config/fixtures.js';

const soap = (lines: string) =>
  `${VALID_CONFIG}  city-soap:\n    kind: soap-xml\n    url: "https://city.example.gov.cn/ws"\n${lines}`;

describe('a soap-xml UsernameToken', () => {
  it('a username without a password is refused at `password`', async () => {
    const { problems } = await problemsOf(soap('    username: district\n'));
    expect(problems.map((p) => [p.path, p.message])).toEqual([
      [
        'targets.city-soap.password',
        'target city-soap: expected `password` with `username` set (a WS-Security UsernameToken takes both), got none: no token would be sent and the service would refuse every request',
      ],
    ]);
  });

  it('a password without a username is refused at `username`, the password not shown', async () => {
    const { problems } = await problemsOf(soap('    password: "${env:CITY_PW}"\n'), { CITY_PW: 's3cret-pw' });
    expect(problems.map((p) => p.path)).toEqual(['targets.city-soap.username']);
    expect(problems[0]?.message).not.toContain('s3cret-pw');
  });

  it('both, or neither, load', async () => {
    for (const lines of ['    username: district\n    password: "${env:CITY_PW}"\n', '']) {
      const file = await writeConfig(soap(lines), { 'data/keys/seal.key.pem': KEY_PEM });
      await expect(loadConfig({ file, env: { CITY_PW: 's3cret-pw' } })).resolves.toBeDefined();
    }
  });
});
