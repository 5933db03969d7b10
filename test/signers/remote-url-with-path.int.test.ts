/**
 * A signing server's `url` with a path and a query (`https://sign.example.gov.cn/api?tenant=3702`,
 * the form docs/signatures.md shows, a gateway routing by tenant). The request paths were appended
 * to the url as text, after its query: the key was asked for at `/api?tenant=3702/v1/keys/…`, the
 * base path with a tenant of `3702/v1/keys/…`. And the `hmac` signature covered the path below the
 * url (`/v1/keys/…`), not the path sent, which its own definition names ("path with query, as
 * sent") and which a server checks the signature over. Each request now goes to its path under the
 * url's, the url's query after it (adapters/platforms/shared/platform-url.ts, as for the HTTP
 * targets), and the signature covers that path and query.
 */
import { createServer } from 'node:http';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { hmacPayload, hmacSignature } from '../../adapters/signers/remote/auth.js';
import type { RemoteSignerConfig } from '../../adapters/signers/remote/config.js';
import { RemoteSigner } from '../../adapters/signers/remote/remote-signer.js';
import { listenLocal } from '../support/listen-local.js';

/** Each request's method, URL as the server got it, and whether its signature covers that URL. */
const seen: { request: string; signedAsSent: boolean }[] = [];
let origin = '';
let close: () => Promise<void>;

beforeAll(async () => {
  const server = createServer((req, res) => {
    const h = (name: string) => String(req.headers[name] ?? '');
    const payload = hmacPayload(
      { method: req.method ?? '', path: req.url ?? '', body: '' },
      h('x-lb-timestamp'),
      h('x-lb-nonce'),
    );
    seen.push({
      request: `${req.method} ${req.url}`,
      signedAsSent: h('x-lb-signature') === hmacSignature('s3cret', payload),
    });
    req.resume();
    // A 4xx is final: one request a case.
    req.on('end', () => res.writeHead(404, { 'content-type': 'application/json' }).end('{}'));
  });
  ({ origin, close } = await listenLocal(server));
});
afterAll(async () => {
  await close?.();
});
beforeEach(() => {
  seen.length = 0;
});

const CASES = [
  { base: '/api?tenant=3702', sent: '/api/v1/keys/seal-1?tenant=3702' },
  { base: '/api/?tenant=3702', sent: '/api/v1/keys/seal-1?tenant=3702' },
  { base: '/api', sent: '/api/v1/keys/seal-1' },
  { base: '', sent: '/v1/keys/seal-1' },
];

describe('a signing server url with a path or a query', () => {
  for (const { base, sent } of CASES) {
    it(`${base || '(none)'}: the key is asked for at ${sent}, signed over that path`, async () => {
      const signer = new RemoteSigner('city-seal', {
        kind: 'remote',
        url: `${origin}${base}`,
        keyLabel: 'seal-1',
        sealId: '3702110000001',
        auth: { scheme: 'hmac', appKey: 'licbridge', secret: 's3cret' },
        attempts: 1,
      } as RemoteSignerConfig);
      await expect(signer.open()).rejects.toMatchObject({ code: 'LB_SIGNER_FAILED' });
      expect(seen).toEqual([{ request: `GET ${sent}`, signedAsSent: true }]);
    });
  }
});
