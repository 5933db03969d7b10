/**
 * Reading back what the platform holds (`lookup`, `list`: reconciliation, a repair's read-back)
 * goes to the same platform as deliveries, and a 429 or 503 with Retry-After asks every caller to
 * wait (adapters/platforms/shared/send-pause.ts). Lookups did not look at that wait: a check or a
 * read-back running while the deliveries waited sent its requests into it, and a lookup answered so
 * started no wait for the deliveries either.
 */
import { describe, expect, it } from 'vitest';
import { retryAfterOf } from '../../pipelines/delivery-policy.js';
import { scriptedPlatformEachTest } from '../support/scripted-platform.js';
import type { ScriptedReply } from './scripted-server.js';

describe('lookups and the wait the platform asked for', () => {
  let reply: (n: number) => ScriptedReply;
  const platform = scriptedPlatformEachTest((n) => reply(n));
  const busy: ScriptedReply = {
    status: 429,
    headers: { 'retry-after': '60' },
    body: { code: 429, reason: 'TOO_MANY_REQUESTS' },
  };
  const notFound: ScriptedReply = { status: 404, body: { code: 404, reason: 'not-found' } };

  it('sends no lookup or listing during a wait a delivery request was asked for', async () => {
    reply = () => busy;
    await expect(
      platform.target.poll([{ key: 'k1', platformId: null, receipt: null }]),
    ).resolves.toMatchObject([{ unverified: true, retryAfterMs: 60_000 }]);
    expect(platform.server.seen).toHaveLength(1);
    expect(platform.target.waitLeft()).toBeGreaterThan(0);

    reply = () => notFound;
    const error = await platform.target.lookup(['L1']).then(
      () => undefined,
      (e: unknown) => e,
    );
    expect(error).toMatchObject({ retryable: true });
    expect(retryAfterOf(error)).toBeGreaterThan(0);
    const listing = async () => {
      for await (const _ of platform.target.list()) break;
    };
    await expect(listing()).rejects.toMatchObject({ retryable: true });
    expect(platform.server.seen).toHaveLength(1);
  });

  it("holds the deliveries back after a lookup's own Retry-After", async () => {
    reply = () => busy;
    await expect(platform.target.lookup(['L1'])).rejects.toMatchObject({ retryable: true });
    expect(platform.server.seen).toHaveLength(1);
    expect(platform.target.waitLeft()).toBeGreaterThan(0);
  });
});
