/**
 * A runtime closed while one of its signers is still opening (a worker stopped, a command
 * interrupted, the signing server answering its key request with 503 and Retry-After): the close
 * ends that open's waits at once, as it ends a batch's, and returns. Before, the runtime waited for
 * the open to end before closing the signer: up to `attempts` - 1 waits of up to 30 s each.
 */
import { afterEach, expect, it } from 'vitest';
import { LicbridgeError } from '../../core/errors.js';
import { createLogger } from '../../core/logger.js';
import { Runtime } from '../../pipelines/runtime.js';
import { signingStandIn } from '../signers/remote-signer-fixture.js';
import type { LocalServer } from '../support/listen-local.js';

let server: LocalServer | undefined;
afterEach(() => server?.close());

it('close() ends a signer open waiting out a Retry-After, and the open fails retryable', async () => {
  let keyRequests = 0;
  let asked: () => void = () => undefined;
  const askedOnce = new Promise<void>((r) => {
    asked = r;
  });
  server = await signingStandIn({
    key: (res) => {
      keyRequests += 1;
      res.writeHead(503, { 'retry-after': '20' });
      res.end(JSON.stringify({ error: 'busy' }));
      asked();
      return undefined;
    },
    sign: () => undefined,
  });
  const config = {
    signers: {
      'seal-server': {
        kind: 'remote',
        url: server.origin,
        sealId: 'seal-1',
        auth: { scheme: 'none' },
        attempts: 5,
        backoffMs: 5,
      },
    },
  };
  const rt = new Runtime(config as never, createLogger({ level: 'silent' }));
  const opening = rt.signer('seal-server').catch((e: unknown) => e);
  await askedOnce;
  // Half the Retry-After: a close() that waited for the open would still be closing.
  const closed = await Promise.race([
    rt.close().then(() => 'closed'),
    new Promise((r) => setTimeout(() => r('still closing 10 s after close()'), 10_000)),
  ]);
  expect(closed).toBe('closed');
  const outcome = await opening;
  expect(outcome).toBeInstanceOf(LicbridgeError);
  expect((outcome as LicbridgeError).retryable).toBe(true);
  expect((outcome as LicbridgeError).message).toMatch(
    /signer seal-server: GET \/v1\/keys\/seal-1: the signer was closed before attempt 2 of 5 \(HTTP 503\); not sent again/,
  );
  expect(keyRequests).toBe(1);
});
