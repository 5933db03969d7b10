// biome-ignore-all lint/suspicious/noTemplateCurlyInString: `${file:…}` is config reference syntax, not a template slip.
/**
 * `tls` next to a plain `http://` URL on a SOAP or notify target: the HTTP client sends an `http:`
 * URL over its plain agent, so the CA, the client certificate and `servername` were never used and
 * licenses, signatures and credentials went unencrypted, with nothing said by `config check` or
 * `status`. The config loader refuses it at the value, naming the target, the field and the
 * URL's origin (never its user info or path); an `https://` URL with `tls`, or `http://` without
 * it, loads as before.
 */
import { describe, expect, it } from 'vitest';
import { loadConfig } from '../../config/loader.js';
import { KEY_PEM, problemsOf, VALID_CONFIG, writeConfig } from '../config/fixtures.js';

const CA = '-----BEGIN CERTIFICATE-----\nMIIB\n-----END CERTIFICATE-----';
const FILES = { 'data/keys/seal.key.pem': KEY_PEM, 'ca.pem': CA };

const withTarget = (lines: string) => `${VALID_CONFIG}${lines}`;

const soap = (url: string, tls = '    tls: { ca: "${file:./ca.pem}" }\n') =>
  withTarget(`  city-soap:\n    kind: soap-xml\n    url: "${url}"\n${tls}`);

const notify = (url: string, auth: string, tls = '') =>
  withTarget(`  holder-sms:\n    kind: notify\n    url: "${url}"\n    auth: ${auth}\n${tls}`);

describe('tls set next to an http:// URL', () => {
  it('a soap-xml target: refused at `url`, naming the target and the origin only', async () => {
    const text = soap('http://user:pw@city.example.gov.cn:8080/ws?wsdl');
    const { problems } = await problemsOf(text, {}, FILES);
    expect(problems).toHaveLength(1);
    expect(problems[0]).toMatchObject({
      path: 'targets.city-soap.url',
      line: text.split('\n').findIndex((l) => l.includes('url: "http://user')) + 1,
    });
    expect(problems[0]?.message).toBe(
      'target city-soap: expected an `https://` `url` with `tls` set, got `http://city.example.gov.cn:8080`: over plain HTTP the CA, client certificate and `servername` in `tls` are not used and everything sent travels unencrypted; use `https://`, or remove `tls`',
    );
    expect(problems[0]?.message).not.toContain('pw');
  });

  it('a notify target: refused at `url`', async () => {
    const { problems } = await problemsOf(
      notify('http://sms.example.gov.cn', '{ scheme: none }', '    tls: { ca: "${file:./ca.pem}" }\n'),
      {},
      FILES,
    );
    expect(problems.map((p) => p.path)).toEqual(['targets.holder-sms.url']);
  });

  it('a token URL with `auth.tls`, or on the target host with `tls`: refused at the token URL', async () => {
    const oauth = (tokenUrl: string, authTls = '') =>
      `{ scheme: oauth2, tokenUrl: "${tokenUrl}", clientId: a, clientSecret: b${authTls} }`;
    const own = await problemsOf(
      notify(
        'https://sms.example.gov.cn',
        oauth('http://id.example.gov.cn/token', ', tls: { ca: "${file:./ca.pem}" }'),
      ),
      {},
      FILES,
    );
    expect(own.problems.map((p) => p.path)).toEqual(['targets.holder-sms.auth.tokenUrl']);
    expect(own.problems[0]?.message).toContain(
      'target holder-sms: expected an `https://` `auth.tokenUrl` with `auth.tls` set, got `http://id.example.gov.cn`',
    );
    const sameHost = await problemsOf(
      notify(
        'https://sms.example.gov.cn',
        oauth('http://sms.example.gov.cn:8081/token'),
        '    tls: { ca: "${file:./ca.pem}" }\n',
      ),
      {},
      FILES,
    );
    expect(sameHost.problems.map((p) => p.path)).toEqual(['targets.holder-sms.auth.tokenUrl']);
    expect(sameHost.problems[0]?.message).toContain('with `tls` set, got `http://sms.example.gov.cn:8081`');
  });

  it('loads https:// with tls, http:// without it, and a token URL on another host without auth.tls', async () => {
    for (const text of [
      soap('https://city.example.gov.cn/ws'),
      soap('http://127.0.0.1:7802/ws', ''),
      notify(
        'https://sms.example.gov.cn',
        '{ scheme: oauth2, tokenUrl: "http://id.example.gov.cn/token", clientId: a, clientSecret: b }',
        '    tls: { ca: "${file:./ca.pem}" }\n',
      ),
    ]) {
      const file = await writeConfig(text, FILES);
      await expect(loadConfig({ file, env: {} })).resolves.toBeDefined();
    }
  });
});
