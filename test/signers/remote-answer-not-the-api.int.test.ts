/**
 * What answers at the signer's `url` may not be the signing server: a portal's or a proxy's login
 * page answering 200, or a redirect to one (a gateway in front of the server sending the client
 * to its sign-in page, an `http://` url the server moves to `https://`). The signer's error said
 * `response is not JSON`, or `HTTP 302: ` with nothing after it, naming neither what answered nor
 * what to check. Both now say what came back, where from and where to (the URL without its query),
 * and that the url is to be checked. A page answered with 200 is still retried as a 5xx is (it
 * may be a gateway's page for a moment); a redirect is final, as another 4xx is: it is not
 * followed, since the request carries the signer's credentials.
 */
import { createServer } from 'node:http';
import { describe, expect, it } from 'vitest';
import { generateSm2KeyPair } from '../../adapters/signers/local-sm2/keys.js';
import { LicbridgeError } from '../../core/errors.js';
import { listenLocal } from '../support/listen-local.js';
import { remoteSigner, servingKey } from './remote-signer-fixture.js';

const pair = generateSm2KeyPair();

/** The error signing one message fails with, the sign request answered `status`, `headers`, `body`. */
async function signFailing(status: number, headers: Record<string, string>, body: string) {
  const server = await listenLocal(
    createServer((req, res) => {
      req.resume();
      req.on('end', () => {
        if (req.method === 'GET') return res.end(servingKey(pair.publicKeyPem)());
        res.writeHead(status, headers);
        res.end(body);
      });
    }),
  );
  const signer = remoteSigner('city-seal', `${server.origin}/api`, { attempts: 2 });
  try {
    await signer.open();
    const err = await signer.sign([Buffer.from('{"license":1}')]).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(LicbridgeError);
    return { err: err as LicbridgeError, origin: server.origin };
  } finally {
    await signer.close();
    await server.close();
  }
}

describe('an answer that is not the signing server', () => {
  it('a page answered with 200 names its type and the URL, and says what to check', async () => {
    const { err, origin } = await signFailing(
      200,
      { 'content-type': 'text/html; charset=utf-8' },
      '<html><body>Please sign in to the government portal</body></html>',
    );
    expect(err.retryable).toBe(true);
    expect(err.message).toBe(
      `signer city-seal: POST /v1/keys/seal-1/sign: failed after 2 attempts: response is not JSON (text/html from ${origin}/api/v1/keys/seal-1/sign): check that url is the signing server's API and not a proxy's or portal's page`,
    );
    expect(err.message).not.toContain('sign in');
  });

  it('a redirect is not followed, and says where it led, without the query', async () => {
    const { err, origin } = await signFailing(
      302,
      { location: 'https://portal.example.gov.cn/login?return=%2Fapi&ticket=ST-88213-abc' },
      '',
    );
    expect(err.retryable).toBe(false);
    expect(err.message).toBe(
      `signer city-seal: POST /v1/keys/seal-1/sign: HTTP 302: ${origin}/api/v1/keys/seal-1/sign redirects to https://portal.example.gov.cn/login, not followed: check that url is the signing server's API and not a proxy's or portal's page`,
    );
  });
});
