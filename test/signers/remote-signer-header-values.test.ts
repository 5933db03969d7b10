// biome-ignore-all lint/suspicious/noTemplateCurlyInString: `${env:…}` is config reference syntax, not a template slip.
/**
 * A signing server's bearer token or HMAC app key goes into a request header, which cannot carry
 * a line end or another control character: an environment file written on Windows leaves a "\r"
 * at the end of `${env:SIGNING_TOKEN}`. Node refuses such a header before anything is sent, and
 * the remote signer took that for a connection failure: every attempt of every sign job retried,
 * and the job failed a minute later with `connection failed: Invalid character in header content`.
 * The config is refused where it is written instead, naming the field, never the value.
 */
import { describe, expect, it } from 'vitest';
import { RemoteSigner } from '../../adapters/signers/remote/remote-signer.js';
import { ErrorCodes, LicbridgeError } from '../../core/errors.js';
import { KEY_PEM, problemsOf, VALID_CONFIG } from '../config/fixtures.js';

const TOKEN = 'tok-Zq8vK2mW9xR4nB7p';

const withAuth = (auth: string) =>
  VALID_CONFIG.replace(
    'signers:\n',
    `signers:\n  city-seal:\n    kind: remote\n    url: "https://sign.example.gov.cn/api"\n    sealId: "3702110000001"\n    auth: ${auth}\n`,
  );

describe('a remote signer credential an HTTP header cannot carry', () => {
  it('a bearer token ending in \\r is refused at load, at auth.token, without the token', async () => {
    const text = withAuth('{ scheme: bearer, token: "${env:SIGNING_TOKEN}" }');
    const { problems } = await problemsOf(
      text,
      { SIGNING_TOKEN: `${TOKEN}\r` },
      {
        'data/keys/seal.key.pem': KEY_PEM,
      },
    );
    expect(problems).toHaveLength(1);
    expect(problems[0]?.path).toBe('signers.city-seal.auth.token');
    expect(problems[0]?.message).toMatch(
      /^signer city-seal: `auth.token` holds a character an HTTP header cannot carry \(a line end or another control character, at position 21\)/,
    );
    expect(problems[0]?.message).not.toContain(TOKEN);
  });

  it('an HMAC app key with a newline is refused at auth.appKey', async () => {
    const text = withAuth('{ scheme: hmac, appKey: "${env:APP_KEY}", secret: s3cret-value }');
    const { problems } = await problemsOf(
      text,
      { APP_KEY: 'licbridge\n' },
      {
        'data/keys/seal.key.pem': KEY_PEM,
      },
    );
    expect(problems.map((p) => p.path)).toEqual(['signers.city-seal.auth.appKey']);
  });

  it('a signer built in code refuses it too, not retryable', () => {
    const build = () =>
      new RemoteSigner('city-seal', {
        kind: 'remote',
        url: 'http://127.0.0.1:9/api',
        sealId: 'seal-1',
        auth: { scheme: 'bearer', token: `${TOKEN}\r\n` },
      } as never);
    expect(build).toThrow(LicbridgeError);
    try {
      build();
    } catch (e) {
      expect((e as LicbridgeError).code).toBe(ErrorCodes.CONFIG_INVALID);
      expect((e as LicbridgeError).retryable).toBe(false);
      expect((e as LicbridgeError).message).not.toContain(TOKEN);
    }
  });
});
