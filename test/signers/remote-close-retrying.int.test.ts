/**
 * A remote signer closed while a batch waits to be asked again (a worker stopped hard, a command
 * interrupted, the server answering 503 with Retry-After): the batch fails at once, retryable,
 * saying the signer closed, and nothing more is sent. Before, its retries went on after close():
 * up to `attempts` more requests, each after its wait, keeping the process alive that long.
 */
import { pino } from 'pino';
import { afterEach, expect, it } from 'vitest';
import { generateSm2KeyPair } from '../../adapters/signers/local-sm2/keys.js';
import { LicbridgeError } from '../../core/errors.js';
import type { LocalServer } from '../support/listen-local.js';
import { remoteSigner, servingKey, signingStandIn } from './remote-signer-fixture.js';

const served = generateSm2KeyPair();

let server: LocalServer | undefined;
afterEach(() => server?.close());

it('a batch waiting out a Retry-After fails at once on close(), retryable, and is not sent again', async () => {
  let signRequests = 0;
  let asked: () => void = () => undefined;
  const askedOnce = new Promise<void>((r) => {
    asked = r;
  });
  server = await signingStandIn({
    key: servingKey(served.publicKeyPem),
    sign: (_digests, res) => {
      signRequests += 1;
      res.writeHead(503, { 'retry-after': '20' });
      res.end(JSON.stringify({ error: 'busy' }));
      asked();
    },
  });
  const signer = remoteSigner(
    'seal-server',
    server.origin,
    { batchSize: 50, attempts: 5 },
    { logger: pino({ level: 'silent' }) },
  );
  await signer.open();
  const signing = signer.sign([Buffer.from('{"license":1}')]).catch((e: unknown) => e);
  await askedOnce;
  await signer.close();
  // Half the Retry-After: a batch that waited it out would still be waiting.
  const outcome = await Promise.race([
    signing,
    new Promise((r) => setTimeout(() => r('still waiting 10 s after close()'), 10_000)),
  ]);
  expect(outcome).toBeInstanceOf(LicbridgeError);
  expect((outcome as LicbridgeError).retryable).toBe(true);
  expect((outcome as LicbridgeError).message).toMatch(
    /signer seal-server: POST \/v1\/keys\/seal-1\/sign: the signer was closed before attempt 2 of 5 \(HTTP 503\); not sent again/,
  );
  expect(signRequests).toBe(1);
});

it('a batch waiting for its turn among the concurrency fails at once on close(), not once the one in flight ends', async () => {
  let signRequests = 0;
  let arrived: () => void = () => undefined;
  const first = new Promise<void>((r) => {
    arrived = r;
  });
  const held: (() => void)[] = [];
  server = await signingStandIn({
    key: servingKey(served.publicKeyPem),
    sign: (_digests, res) => {
      signRequests += 1;
      arrived();
      // The server takes its time: this request is answered (503) only when the test lets it go.
      held.push(() => {
        res.writeHead(503);
        res.end('{}');
      });
    },
  });
  const signer = remoteSigner(
    'seal-server',
    server.origin,
    { batchSize: 1, concurrency: 1, attempts: 5 },
    { logger: pino({ level: 'silent' }) },
  );
  await signer.open();
  const signing = signer
    .sign([Buffer.from('{"license":1}'), Buffer.from('{"license":2}')])
    .catch((e: unknown) => e);
  await first;
  await signer.close();
  const outcome = await Promise.race([
    signing,
    new Promise((r) => setTimeout(() => r('still waiting 2 s after close()'), 2000)),
  ]);
  for (const answer of held.splice(0)) answer();
  expect(outcome).toBeInstanceOf(LicbridgeError);
  expect((outcome as LicbridgeError).retryable).toBe(true);
  expect((outcome as LicbridgeError).message).toMatch(
    /signer seal-server: POST \/v1\/keys\/seal-1\/sign: the signer was closed before attempt 1 of 5; not sent/,
  );
  expect(signRequests).toBe(1);
});
