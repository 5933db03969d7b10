/**
 * The catalog request (`licbridge catalog pull`) goes to the same platform as deliveries and
 * lookups, and a 429 or 503 with Retry-After asks every caller to wait
 * (adapters/platforms/shared/send-pause.ts). The catalog request did not look at that wait: it was
 * sent into it, and its own answer asking to wait was read without its Retry-After, so neither the
 * pull's error said how long to wait nor were the target's other requests held back.
 */
import { describe, expect, it } from 'vitest';
import { fetchCatalogTypes } from '../../adapters/platforms/rest-json/catalog-fetch.js';
import { retryAfterOf } from '../../pipelines/delivery-policy.js';
import { scriptedPlatformEachTest } from '../support/scripted-platform.js';
import { restConfig } from './license-fixture.js';
import type { ScriptedReply } from './scripted-server.js';

describe('the catalog request and the wait the platform asked for', () => {
  let reply: (n: number) => ScriptedReply;
  const platform = scriptedPlatformEachTest((n) => reply(n));
  const busy = (status: number): ScriptedReply => ({
    status,
    headers: { 'retry-after': '120' },
    body: { code: status, reason: 'SYSTEM_BUSY' },
  });
  const catalog: ScriptedReply = {
    status: 200,
    body: { code: 0, types: [{ code: '11370200MB12345674001', name: 'food business license' }] },
  };
  const failure = (p: Promise<unknown>) =>
    p.then(
      () => undefined,
      (e: unknown) => e,
    );

  it('is not sent during a wait a delivery request was asked for', async () => {
    reply = () => busy(429);
    await expect(
      platform.target.poll([{ key: 'k1', platformId: null, receipt: null }]),
    ).resolves.toMatchObject([{ unverified: true, retryAfterMs: 120_000 }]);
    expect(platform.server.seen).toHaveLength(1);

    reply = () => catalog;
    const error = await failure(fetchCatalogTypes('province', restConfig(platform.server.url)));
    expect(error).toMatchObject({ retryable: true });
    expect(retryAfterOf(error)).toBeGreaterThan(0);
    expect(platform.server.seen).toHaveLength(1);
  });

  it.each([429, 503])(
    'answered %i with Retry-After: says how long, and holds the deliveries back',
    async (status) => {
      reply = () => busy(status);
      const error = await failure(fetchCatalogTypes('province', restConfig(platform.server.url)));
      expect(error).toMatchObject({ retryable: true });
      expect(retryAfterOf(error)).toBe(120_000);
      expect(platform.server.seen).toHaveLength(1);
      expect(platform.target.waitLeft()).toBeGreaterThan(0);
    },
  );

  // A gateway answering every request 200 writes the busy status as the answer's `code`, as the
  // deliveries read it (shared/http-failure.ts errorFromAnswer): read as an answer that is not the
  // catalog, the pull failed for good, saying nothing of the wait, and held nothing back.
  it('answered 200 with code 503 and Retry-After: says how long, and holds the deliveries back', async () => {
    reply = () => ({ ...busy(503), status: 200 });
    const error = await failure(fetchCatalogTypes('province', restConfig(platform.server.url)));
    expect(error).toMatchObject({ retryable: true });
    expect(retryAfterOf(error)).toBe(120_000);
    expect(platform.target.waitLeft()).toBeGreaterThan(0);
  });
});
