/**
 * A request to the signing server that found no server or no answer says which server: the job's
 * error, the run's and the worker's log line read `timed out after 300 ms` or `connection failed:
 * socket hang up`, naming the signer and the protocol's path only, so an operator could not tell
 * which host (and, under a `url` with a path of its own, which path) did not answer, where a
 * platform's error names its URL. The URL is named without its query, which may carry a tenant or
 * a credential, and without user info.
 */
import { createServer } from 'node:http';
import { describe, expect, it } from 'vitest';
import { generateSm2KeyPair } from '../../adapters/signers/local-sm2/keys.js';
import { LicbridgeError } from '../../core/errors.js';
import { listenLocal } from '../support/listen-local.js';
import { remoteSigner, servingKey } from './remote-signer-fixture.js';

const pair = generateSm2KeyPair();
const QUERY = 'tenant=3702&access_token=sk-live-7Qv2mX9pL4';

describe('a signing server that does not answer is named', () => {
  it('a request that times out names the URL it went to, query left out', async () => {
    // The key is served; a sign request is read and left without an answer.
    const server = await listenLocal(
      createServer((req, res) => {
        req.resume();
        req.on('end', () => {
          if (req.method === 'GET') res.end(servingKey(pair.publicKeyPem)());
        });
      }),
    );
    const signer = remoteSigner('city-seal', `${server.origin}/api?${QUERY}`, {
      timeoutMs: 300,
      attempts: 2,
    });
    try {
      await signer.open();
      const err = await signer.sign([Buffer.from('{"license":1}')]).catch((e: unknown) => e);
      expect(err).toBeInstanceOf(LicbridgeError);
      const e = err as LicbridgeError;
      expect(e.retryable).toBe(true);
      expect(e.message).toBe(
        `signer city-seal: POST /v1/keys/seal-1/sign: failed after 2 attempts: timed out after 300 ms waiting for ${server.origin}/api/v1/keys/seal-1/sign`,
      );
    } finally {
      await signer.close();
      await server.close();
    }
  });

  it('a connection that fails names the URL, without user info or query', async () => {
    // A port that was just listened on and closed again: nothing accepts there.
    const gone = await listenLocal(createServer());
    await gone.close();
    const port = new URL(gone.origin).port;
    const signer = remoteSigner('city-seal', `http://ops:pw-9f3k2@127.0.0.1:${port}/api?${QUERY}`, {
      attempts: 1,
    });
    const err = await signer.open().catch((e: unknown) => e);
    await signer.close();
    expect(err).toBeInstanceOf(LicbridgeError);
    const e = err as LicbridgeError;
    expect(e.retryable).toBe(true);
    expect(e.message).toMatch(
      new RegExp(
        `^signer city-seal: GET /v1/keys/seal-1: failed after 1 attempts: connection to http://127\\.0\\.0\\.1:${port}/api/v1/keys/seal-1 failed: connect ECONNREFUSED `,
      ),
    );
    expect(e.message).not.toContain('tenant');
    expect(e.message).not.toContain('pw-9f3k2');
  });
});
