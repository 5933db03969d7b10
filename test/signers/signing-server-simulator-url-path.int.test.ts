/**
 * The signing-server simulator behind a signer whose `url` has a base path and a query
 * (`https://sign.example.gov.cn/api?tenant=3702`, the form docs/signatures.md shows). The signer
 * sends each request under the url's path with the query after it; the simulator matched the whole
 * request target against `/v1/keys/<label>`, so it answered 404 "no such key" for a key it held,
 * with HMAC auth too. It now serves the key routes under any base path and reads the label
 * without the query; the HMAC still covers the path and query as sent.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { generateSm2KeyPair } from '../../adapters/signers/local-sm2/keys.js';
import {
  type SigningServerSimulator,
  startSigningServerSimulator,
} from '../../adapters/simulators/signing-server/signing-server-simulator.js';
import { remoteSigner } from './remote-signer-fixture.js';

const pair = generateSm2KeyPair();

describe('the signing-server simulator under a url with a path and a query', () => {
  let sim: SigningServerSimulator;
  beforeAll(async () => {
    sim = await startSigningServerSimulator({
      keys: { 'seal-1': { privateKeyPem: pair.privateKeyPem } },
      auth: { scheme: 'hmac', appKey: 'app-1', secret: 'simulator-secret-0123456789' },
    });
  });
  afterAll(() => sim?.close());

  it.each(['/hsm/api?tenant=3702', '?tenant=3702', '/hsm/api/'])(
    '%s: the key opens and signs',
    async (tail) => {
      const signer = remoteSigner('city-seal', `${sim.url}${tail}`, {
        auth: { scheme: 'hmac', appKey: 'app-1', secret: 'simulator-secret-0123456789' },
      });
      try {
        await signer.open();
        const records = await signer.sign([Buffer.from('{"license":1}'), Buffer.from('{"license":2}')]);
        expect(records).toHaveLength(2);
      } finally {
        await signer.close();
      }
    },
  );

  it('a label it does not hold is still 404, under a path too', async () => {
    const signer = remoteSigner('city-seal', `${sim.url}/hsm/api?tenant=3702`, {
      keyLabel: 'seal-9',
      auth: { scheme: 'hmac', appKey: 'app-1', secret: 'simulator-secret-0123456789' },
    });
    const error = await signer.open().then(
      () => undefined,
      (e: Error) => e,
    );
    await signer.close();
    expect(error?.message).toMatch(/HTTP 404/);
  });
});
