/**
 * A token endpoint that refuses the connection, or never answers, fails the send with an error
 * whose fields say so, as the deliver stage audits the attempt (`unreachable`, `timeout`). Before,
 * the credential request's error kept the transport's code in its cause only, and its words
 * (`token request to … failed`) say nothing: the attempt was audited `other`.
 */
import { createServer } from 'node:http';
import { createServer as createTcpServer } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { RestJsonTarget } from '../../adapters/platforms/rest-json/rest-json-target.js';
import { sendCredentialRequest } from '../../adapters/platforms/shared/auth/credential-request.js';
import { errorFailureKind } from '../../adapters/platforms/shared/failure-kind.js';
import { thrownAttemptReason } from '../../pipelines/stages/deliver-attempt-reasons.js';
import { licbridgeFailure } from '../support/endless-answer.js';
import { listenLocal } from '../support/listen-local.js';
import { deliveryItem, restConfig } from './license-fixture.js';

const closers: (() => Promise<unknown>)[] = [];
afterEach(async () => {
  for (const c of closers.splice(0).reverse()) await c();
});

/** A loopback origin nothing listens on (a port taken, then let go). */
async function closedOrigin(): Promise<string> {
  const server = createTcpServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as { port: number };
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return `http://127.0.0.1:${port}`;
}

/** A server that reads every request and never answers. */
async function silentOrigin(): Promise<string> {
  const server = await listenLocal(createServer((req) => void req.resume()));
  closers.push(server.close);
  return server.origin;
}

const oauth2 = (tokenUrl: string) =>
  ({
    scheme: 'oauth2',
    tokenUrl,
    clientId: 'district-a',
    clientSecret: 'cs-9d1e-secret',
    refreshSkewSeconds: 60,
  }) as const;

describe('a credential request that got no answer: its failure kind', () => {
  it('a token endpoint that refuses the connection fails the send as unreachable', async () => {
    const tokens = await closedOrigin();
    const target = new RestJsonTarget(
      'province',
      restConfig(await silentOrigin(), { attempts: 1, auth: oauth2(`${tokens}/oauth/token`) }),
    );
    closers.push(() => target.close());
    const e = await licbridgeFailure(target.deliver([deliveryItem(1)]));
    expect(e.retryable).toBe(true);
    expect(e.message).toContain(`token request to ${tokens}`);
    expect(e.message).not.toContain('cs-9d1e-secret');
    expect(errorFailureKind(e)).toBe('unreachable');
    expect(thrownAttemptReason(e)).toBe('unreachable');
  });

  // The message says why too, as a platform request's does (shared/http-failure.ts errorFromTransport):
  // it said `secret refresh to … failed` and no more, the cause in the fields alone.
  it.each([
    ['refuses the connection', 'unreachable', 'connection failed (ECONNREFUSED)'],
    ['never answers', 'timeout', 'no answer in time'],
  ] as const)('a credential endpoint that %s: %s', async (what, kind, why) => {
    const url = what === 'never answers' ? await silentOrigin() : await closedOrigin();
    const e = await licbridgeFailure(
      sendCredentialRequest(undefined, 'secret refresh', {
        method: 'GET',
        url: `${url}/secret`,
        timeoutMs: 300,
      }),
    );
    expect(e.retryable).toBe(true);
    expect(e.message).toBe(`secret refresh to ${url} failed: ${why}`);
    expect(errorFailureKind(e)).toBe(kind);
    expect(thrownAttemptReason(e)).toBe(kind);
  });
});
