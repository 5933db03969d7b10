/**
 * A catalog request's Retry-After given as an HTTP-date, in an answer without a `Date`, is read
 * against this host's clock as the answer came (shared/http-failure.ts parseRetryAfter). The
 * catalog read it against the time the pull began, before its token was fetched: the wait it
 * reported, and held the target's requests for, was longer by as long as the token took.
 */
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { fetchCatalogTypes } from '../../adapters/platforms/rest-json/catalog-fetch.js';
import { retryAfterOf } from '../../pipelines/delivery-policy.js';
import { restConfig } from './license-fixture.js';

/** How far this host's clock moves while the token endpoint answers, ms. */
const TOKEN_TAKES_MS = 9_000;
/** The wait the catalog's answer asks for, ms from when it is written. */
const WAIT_MS = 120_000;

describe('a catalog answer asking to wait until an HTTP-date, after a token fetch', () => {
  const closers: Array<() => Promise<void>> = [];
  afterEach(async () => {
    vi.useRealTimers();
    for (const c of closers.splice(0)) await c();
  });

  it('is read against the clock as the answer came, not as the pull began', async () => {
    // Only Date: the servers and sockets keep their real timers.
    vi.useFakeTimers({ toFake: ['Date'] });
    const server = createServer((req, res) => {
      req.resume();
      req.on('end', () => {
        // No `Date` header: the HTTP-date is read against this host's clock.
        res.sendDate = false;
        if (req.url?.startsWith('/oauth/token')) {
          vi.setSystemTime(Date.now() + TOKEN_TAKES_MS);
          res.writeHead(200, { 'content-type': 'application/json' });
          res.end(JSON.stringify({ access_token: 'tok-1', expires_in: 7200 }));
          return;
        }
        res.writeHead(503, {
          'content-type': 'application/json',
          'retry-after': new Date(Date.now() + WAIT_MS).toUTCString(),
        });
        res.end(JSON.stringify({ code: 503, reason: 'SYSTEM_BUSY' }));
      });
    });
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    closers.push(
      () =>
        new Promise<void>((r) => {
          server.closeAllConnections();
          server.close(() => r());
        }),
    );
    const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    const error = await fetchCatalogTypes(
      `province-clock-${process.pid}`,
      restConfig(url, {
        auth: {
          scheme: 'oauth2',
          tokenUrl: `${url}/oauth/token`,
          clientId: 'district',
          clientSecret: 'fake-secret',
          refreshSkewSeconds: 60,
        },
      }),
    ).then(
      () => undefined,
      (e: unknown) => e,
    );
    expect(error).toMatchObject({ retryable: true });
    // An HTTP-date has whole seconds: the wait is within the second under WAIT_MS.
    const wait = retryAfterOf(error) ?? 0;
    expect(wait).toBeLessThanOrEqual(WAIT_MS);
    expect(wait).toBeGreaterThan(WAIT_MS - 1_000);
  });
});
