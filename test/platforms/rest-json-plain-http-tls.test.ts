// biome-ignore-all lint/suspicious/noTemplateCurlyInString: `${file:…}` is config reference syntax, not a template slip.
/**
 * `tls` next to a plain `http://` URL on a rest-json target: the HTTP client sends an `http:` URL
 * over its plain agent, so the CA, the client certificate and `servername` were never used and
 * licenses, signatures and credentials went unencrypted, while the config loaded with nothing said.
 * The loader refuses it at the value, as for soap-xml and notify targets (one implementation,
 * adapters/plain-http-tls.ts): the `url` with `tls`, an `auth.tokenUrl` / `auth.refreshUrl` with
 * `auth.tls` or on the target's host with `tls`.
 */
import { describe, expect, it } from 'vitest';
import { loadConfig } from '../../config/loader.js';
import { KEY_PEM, problemsOf, VALID_CONFIG, writeConfig } from '../config/fixtures.js';

const CA = '-----BEGIN CERTIFICATE-----\nMIIB\n-----END CERTIFICATE-----';
const FILES = { 'data/keys/seal.key.pem': KEY_PEM, 'ca.pem': CA };
const TLS = '{ ca: "${file:./ca.pem}" }';

const gateway = (url: string, auth: string, tls?: string) =>
  `${VALID_CONFIG}  gateway:\n    kind: rest-json\n    url: "${url}"\n    auth: ${auth}\n${tls ? `    tls: ${tls}\n` : ''}`;

describe('a rest-json target with tls next to an http:// URL', () => {
  it('is refused at `url`, naming the target and the origin only', async () => {
    const text = gateway('http://user:pw@gw.example.gov.cn:8080/license', '{ scheme: none }', TLS);
    const { problems } = await problemsOf(text, {}, FILES);
    expect(problems).toHaveLength(1);
    expect(problems[0]).toMatchObject({
      path: 'targets.gateway.url',
      line: text.split('\n').findIndex((l) => l.includes('url: "http://user')) + 1,
    });
    expect(problems[0]?.message).toBe(
      'target gateway: expected an `https://` `url` with `tls` set, got `http://gw.example.gov.cn:8080`: over plain HTTP the CA, client certificate and `servername` in `tls` are not used and everything sent travels unencrypted; use `https://`, or remove `tls`',
    );
  });

  it('an oauth2 tokenUrl with auth.tls, an appkey-md5 refreshUrl on the target host with tls: refused there', async () => {
    const oauth = await problemsOf(
      gateway(
        'https://gw.example.gov.cn',
        `{ scheme: oauth2, tokenUrl: "http://id.example.gov.cn/token", clientId: a, clientSecret: b, tls: ${TLS} }`,
      ),
      {},
      FILES,
    );
    expect(oauth.problems.map((p) => p.path)).toEqual(['targets.gateway.auth.tokenUrl']);
    expect(oauth.problems[0]?.message).toContain('with `auth.tls` set, got `http://id.example.gov.cn`');
    const md5 = await problemsOf(
      gateway(
        'https://gw.example.gov.cn',
        '{ scheme: appkey-md5, appKey: a, secret: b, refreshUrl: "http://gw.example.gov.cn:8081/secret" }',
        TLS,
      ),
      {},
      FILES,
    );
    expect(md5.problems.map((p) => p.path)).toEqual(['targets.gateway.auth.refreshUrl']);
    expect(md5.problems[0]?.message).toContain('with `tls` set, got `http://gw.example.gov.cn:8081`');
  });

  it('loads https:// with tls and http:// without it', async () => {
    for (const text of [
      gateway('https://gw.example.gov.cn', '{ scheme: none }', TLS),
      gateway('http://127.0.0.1:7801', '{ scheme: none }'),
    ]) {
      const file = await writeConfig(text, FILES);
      await expect(loadConfig({ file, env: {} })).resolves.toBeDefined();
    }
  });
});
