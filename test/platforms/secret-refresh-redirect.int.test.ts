/**
 * The appkey-md5 secret refresh is a signed request (`appKey`, `requestTime`, `sign` in its query)
 * whose answer is the secret itself. Like every signed request to a platform (tls-http.ts), it
 * follows no redirect: replayed to wherever a `Location` points within the platform's freshness
 * window, the signature fetches the secret for whoever holds it. A redirecting refresh endpoint
 * is refused instead, naming its origin and status.
 */
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { RestJsonTarget } from '../../adapters/platforms/rest-json/rest-json-target.js';
import { isLicbridgeError } from '../../core/errors.js';
import { deliveryItem, restConfig } from './license-fixture.js';

const closers: (() => Promise<void>)[] = [];
afterEach(async () => {
  for (const c of closers.splice(0)) await c();
});

async function listen(handler: Parameters<typeof createServer>[1]): Promise<string> {
  const server = createServer(handler);
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  closers.push(
    () =>
      new Promise<void>((r) => {
        server.closeAllConnections();
        server.close(() => r());
      }),
  );
  return `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
}

describe('appkey-md5 secret refresh answered with a redirect', () => {
  it('is not followed: the signed query never reaches the other host', async () => {
    const elsewhere: string[] = [];
    const other = await listen((req, res) => {
      elsewhere.push(req.url ?? '');
      res.writeHead(200, { 'content-type': 'application/json' });
      res.end(JSON.stringify({ secret: 'secret-v2' }));
    });
    const platform = await listen((req, res) => {
      req.resume();
      req.on('end', () => {
        const url = new URL(req.url ?? '/', 'http://p');
        if (url.pathname === '/auth/secret') {
          res.writeHead(302, { location: `${other}/collect${url.search}` });
          res.end();
          return;
        }
        res.writeHead(401, { 'content-type': 'application/json' });
        res.end(JSON.stringify({ reason: 'invalid_sign' }));
      });
    });
    const target = new RestJsonTarget(
      'province',
      restConfig(platform, {
        timeoutMs: 2000,
        auth: {
          scheme: 'appkey-md5',
          appKey: 'app-1',
          secret: 'secret-v1',
          refreshUrl: `${platform}/auth/secret`,
        },
      }),
    );
    closers.push(() => target.close());

    const e = await target.deliver([deliveryItem(1)]).then(
      () => undefined,
      (err: unknown) => err,
    );
    expect(isLicbridgeError(e)).toBe(true);
    expect(elsewhere).toEqual([]);
    expect((e as Error).message).toContain('HTTP 302');
  });
});
