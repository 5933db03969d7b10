/**
 * Reading back what the platform holds (`lookup`, `list`: reconciliation, a repair's read-back)
 * goes to the same platform as deliveries, and a 429 or 503 with Retry-After asks every caller to
 * wait (adapters/platforms/shared/send-pause.ts). Lookups did not look at that wait: a check or a
 * read-back running while the deliveries waited sent its requests into it, and a lookup answered so
 * started no wait for the deliveries either.
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { RestJsonTarget } from '../../adapters/platforms/rest-json/rest-json-target.js';
import { retryAfterOf } from '../../pipelines/delivery-policy.js';
import { restConfig } from './license-fixture.js';
import { type ScriptedReply, type ScriptedServer, startScriptedServer } from './scripted-server.js';

describe('lookups and the wait the platform asked for', () => {
  let server: ScriptedServer;
  let target: RestJsonTarget;
  let reply: (n: number) => ScriptedReply;
  const busy: ScriptedReply = {
    status: 429,
    headers: { 'retry-after': '60' },
    body: { code: 429, reason: 'TOO_MANY_REQUESTS' },
  };
  const notFound: ScriptedReply = { status: 404, body: { code: 404, reason: 'not-found' } };

  // A platform of its own for each case: a wait one asked for holds back this process's requests to it.
  beforeEach(async () => {
    server = await startScriptedServer((n) => reply(n));
    target = new RestJsonTarget('province', restConfig(server.url, { timeoutMs: 2000 }));
  });
  afterEach(async () => {
    await target?.close();
    await server?.close();
  });

  it('sends no lookup or listing during a wait a delivery request was asked for', async () => {
    reply = () => busy;
    await expect(target.poll([{ key: 'k1', platformId: null, receipt: null }])).resolves.toMatchObject([
      { unverified: true, retryAfterMs: 60_000 },
    ]);
    expect(server.seen).toHaveLength(1);
    expect(target.waitLeft()).toBeGreaterThan(0);

    reply = () => notFound;
    const error = await target.lookup(['L1']).then(
      () => undefined,
      (e: unknown) => e,
    );
    expect(error).toMatchObject({ retryable: true });
    expect(retryAfterOf(error)).toBeGreaterThan(0);
    const listing = async () => {
      for await (const _ of target.list()) break;
    };
    await expect(listing()).rejects.toMatchObject({ retryable: true });
    expect(server.seen).toHaveLength(1);
  });

  it("holds the deliveries back after a lookup's own Retry-After", async () => {
    reply = () => busy;
    await expect(target.lookup(['L1'])).rejects.toMatchObject({ retryable: true });
    expect(server.seen).toHaveLength(1);
    expect(target.waitLeft()).toBeGreaterThan(0);
  });
});
