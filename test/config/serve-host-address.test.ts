/**
 * `serve.host` took any text: `host: "0.0.0.0:9464"`, `host: http://0.0.0.0` or `host: "[::1]"`
 * loaded, `config check` said ok, and `licbridge serve` failed at start ("cannot listen on
 * 0.0.0.0:9464:9464: ENOTFOUND"), naming no file or line. The address to bind is now an IP
 * address or a host name, refused at its line otherwise.
 */
import { describe, expect, it } from 'vitest';
import { loadConfig } from '../../config/loader.js';
import { KEY_PEM, positionOf, problemsOf, VALID_CONFIG, writeConfig } from './fixtures.js';

const withHost = (host: string): string => `${VALID_CONFIG}serve:\n  host: "${host}"\n`;

describe('serve.host', () => {
  it.each([
    ['0.0.0.0:9464', /serve\.port/],
    ['http://0.0.0.0', /without a scheme/],
    ['[::1]', /without brackets/],
    ['ops host', /IP address or a host name/],
  ])('`%s` is refused at its line', async (host, why) => {
    const text = withHost(host);
    const { problems } = await problemsOf(text);
    expect(problems.map((p) => p.path)).toEqual(['serve.host']);
    expect(problems[0]?.line).toBe(positionOf(text, host).line);
    expect(problems[0]?.message).toMatch(why);
  });

  it.each(['127.0.0.1', '0.0.0.0', '::', '::1', 'localhost', 'ops.district.example', '10.0.3.20'])(
    '`%s` loads',
    async (host) => {
      const file = await writeConfig(withHost(host), { 'data/keys/seal.key.pem': KEY_PEM });
      const config = await loadConfig({ file, env: {} });
      expect(config.serve.host).toBe(host);
    },
  );
});
