// biome-ignore-all lint/suspicious/noTemplateCurlyInString: `${file:…}` is config reference syntax, not a template slip.
/**
 * A signing server (`kind: remote`) with `tls` next to a plain `http://` url: the HTTP client
 * sends an `http:` URL over its plain agent, so the CA in `tls.ca` verified nothing, the client
 * certificate was never presented, and digests, signatures and the bearer token or HMAC headers
 * went unencrypted, while the config loaded with nothing said. The loader refuses it at the `url`,
 * as it does for HTTP targets (one implementation, adapters/plain-http-tls.ts).
 */
import { describe, expect, it } from 'vitest';
import type { RemoteSignerConfig } from '../../adapters/signers/remote/config.js';
import { RemoteSigner } from '../../adapters/signers/remote/remote-signer.js';
import { loadConfig } from '../../config/loader.js';
import { KEY_PEM, problemsOf, VALID_CONFIG, writeConfig } from '../config/fixtures.js';

const CA = '-----BEGIN CERTIFICATE-----\nMIIB\n-----END CERTIFICATE-----';
const FILES = { 'data/keys/seal.key.pem': KEY_PEM, 'ca.pem': CA };
const TLS = '{ ca: "${file:./ca.pem}" }';

const withServer = (url: string, tls?: string) =>
  VALID_CONFIG.replace(
    'signers:\n',
    `signers:\n  city-seal:\n    kind: remote\n    url: "${url}"\n    sealId: "3702110000001"\n    auth: { scheme: bearer, token: t }\n${tls ? `    tls: ${tls}\n` : ''}`,
  );

describe('a signing server with tls next to an http:// url', () => {
  it('is refused at `url`, naming the signer and the origin only', async () => {
    const text = withServer('http://app:pw@sign.example.gov.cn:8443/api', TLS);
    const { problems } = await problemsOf(text, {}, FILES);
    expect(problems).toHaveLength(1);
    expect(problems[0]).toMatchObject({
      path: 'signers.city-seal.url',
      line: text.split('\n').findIndex((l) => l.includes('url: "http://app')) + 1,
    });
    expect(problems[0]?.message).toBe(
      'signer city-seal: expected an `https://` `url` with `tls` set, got `http://sign.example.gov.cn:8443`: over plain HTTP the CA, client certificate and `servername` in `tls` are not used and everything sent travels unencrypted; use `https://`, or remove `tls`',
    );
  });

  it('loads https:// with tls and http:// without it', async () => {
    for (const text of [
      withServer('https://sign.example.gov.cn/api', TLS),
      withServer('http://127.0.0.1:7803'),
    ]) {
      const file = await writeConfig(text, FILES);
      await expect(loadConfig({ file, env: {} })).resolves.toBeDefined();
    }
  });
});

describe('a RemoteSigner built in code (as bench/sign.ts builds one)', () => {
  const built = (url: string, tls?: { ca: string }) =>
    new RemoteSigner('bench', {
      kind: 'remote',
      url,
      sealId: 'bench',
      auth: { scheme: 'none' },
      ...(tls ? { tls } : {}),
    } as RemoteSignerConfig);

  it('refuses an http:// url with tls, with the message the config loader gives', () => {
    expect(() => built('http://app:pw@127.0.0.1:7803/api', { ca: CA })).toThrow(
      expect.objectContaining({
        code: 'LB_CONFIG_INVALID',
        message:
          'signer bench: expected an `https://` `url` with `tls` set, got `http://127.0.0.1:7803`: over plain HTTP the CA, client certificate and `servername` in `tls` are not used and everything sent travels unencrypted; use `https://`, or remove `tls`',
      }),
    );
  });

  it('builds with https:// and tls, and with http:// without tls', () => {
    expect(built('https://127.0.0.1:7803', { ca: CA }).name).toBe('bench');
    expect(built('http://127.0.0.1:7803').name).toBe('bench');
  });
});
