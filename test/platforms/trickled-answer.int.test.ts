/**
 * A platform's request ends within its `timeoutMs`, answer body included
 * (adapters/whole-request-timeout.ts): a platform, gateway or proxy that sends its headers and then
 * trickles the body a byte at a time, never idle for as long as the timeout, is given up on as a
 * timeout (retryable, "no answer in time"; a credential request's cause ECONNABORTED), where the
 * request ran for as long as the server wrote.
 */
import { createServer } from 'node:http';
import { afterEach, describe, expect, it } from 'vitest';
import { fetchCatalogTypes } from '../../adapters/platforms/rest-json/catalog-fetch.js';
import { RestJsonTarget } from '../../adapters/platforms/rest-json/rest-json-target.js';
import { sendCredentialRequest } from '../../adapters/platforms/shared/auth/credential-request.js';
import { ErrorCodes } from '../../core/errors.js';
import { licbridgeFailure } from '../support/endless-answer.js';
import { listenLocal } from '../support/listen-local.js';
import { deliveryItem, restConfig } from './license-fixture.js';
import { soapTarget } from './soap-stand-in.js';

/** How long the server trickles before it ends its answer: far past every timeout below. */
const TRICKLE_MS = 6000;
const TIMEOUT_MS = 400;

const closers: (() => Promise<unknown>)[] = [];
afterEach(async () => {
  for (const c of closers.splice(0).reverse()) await c();
});

/** A server answering 200 at once, then one space every 50 ms for TRICKLE_MS, then `{"code":0}`. */
async function tricklingServer(): Promise<string> {
  const server = await listenLocal(
    createServer((req, res) => {
      req.resume();
      req.on('end', () => {
        res.writeHead(200, { 'content-type': 'application/json' });
        const started = Date.now();
        const timer = setInterval(() => {
          if (res.destroyed) return clearInterval(timer);
          if (Date.now() - started < TRICKLE_MS) return void res.write(' ');
          clearInterval(timer);
          res.end('{"code":0}');
        }, 50);
      });
    }),
  );
  closers.push(server.close);
  return server.origin;
}

/**
 * `p`'s failure. That it fails at all is the timeout: without one the request would end well, with
 * the server's `{"code":0}`, once the trickle ends (the test's own time limit is not reached first).
 */
const failureOf = (p: () => Promise<unknown>) => licbridgeFailure(p());

const quick = { timeoutMs: TIMEOUT_MS, attempts: 1 };

describe('platform requests: timeoutMs bounds a trickled answer', () => {
  it('rest-json: a batch upload', async () => {
    const url = await tricklingServer();
    const target = new RestJsonTarget('province', restConfig(url, quick));
    closers.push(() => target.close());
    const e = await failureOf(() => target.deliver([deliveryItem(1)]));
    expect(e.code).toBe(ErrorCodes.TARGET_UNREACHABLE);
    expect(e.retryable).toBe(true);
    expect(e.message).toBe(`target province: batch upload to ${url} failed: no answer in time`);
  });

  it('rest-json: the catalog request', async () => {
    const url = await tricklingServer();
    const e = await failureOf(() => fetchCatalogTypes('province', restConfig(url, quick)));
    expect(e.message).toBe(`target province: catalog request to ${url} failed: no answer in time`);
  });

  it('soap-xml: a batch upload', async () => {
    const url = await tricklingServer();
    const target = soapTarget(url, quick);
    closers.push(() => target.close());
    const e = await failureOf(() => target.deliver([deliveryItem(1, { target: 'city' })]));
    expect(e.retryable).toBe(true);
    expect(e.message).toContain(`target city: batch upload to ${url} failed: no answer in time`);
  });

  it('a credential request', async () => {
    const url = await tricklingServer();
    const e = await failureOf(() =>
      sendCredentialRequest(undefined, 'token request', {
        method: 'POST',
        url: `${url}/token`,
        timeoutMs: TIMEOUT_MS,
      }),
    );
    expect(e.retryable).toBe(true);
    expect(e.message).toBe(`token request to ${url} failed: no answer in time`);
    expect((e.cause as Error).message).toBe('ECONNABORTED');
  });
});
