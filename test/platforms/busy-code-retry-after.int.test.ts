/**
 * A platform behind a gateway that answers every request HTTP 200 says "busy" in the body
 * (`{"code":503}`) and how long to wait in `Retry-After`, as it would beside a 503 status. The wait
 * is kept on the error, so the deliver worker pauses the target's queue for it without spending an
 * attempt, instead of retrying with a one-second backoff into a platform that asked for two minutes.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { RestJsonTarget } from '../../adapters/platforms/rest-json/rest-json-target.js';
import { ErrorCodes, isLicbridgeError } from '../../core/errors.js';
import { deliveryItem, restConfig } from './license-fixture.js';
import { startScriptedServer } from './scripted-server.js';

const cleanups: Array<() => Promise<void>> = [];
afterEach(async () => {
  for (const c of cleanups.splice(0).reverse()) await c();
});

const busy = {
  status: 200,
  headers: { 'retry-after': '120' },
  body: { code: 503, reason: 'SYSTEM_BUSY' },
};

async function province(answer: (n: number, keys: string[]) => typeof busy | undefined) {
  const server = await startScriptedServer((n, req) => {
    const doc = (req.method === 'GET' ? {} : JSON.parse(req.body)) as {
      items?: { key: string }[];
      keys?: string[];
    };
    const keys = doc.keys ?? (doc.items ?? []).map((i) => i.key);
    return (
      answer(n, keys) ?? {
        status: 200,
        body: { code: 0, results: keys.map((key) => ({ key, status: 'accepted', platformId: `P-${key}` })) },
      }
    );
  });
  cleanups.push(() => server.close());
  const target = new RestJsonTarget('province', restConfig(server.url, { batchSize: 1 }));
  cleanups.push(() => target.close());
  return target;
}

async function thrown(p: Promise<unknown>): Promise<unknown> {
  return p.then(
    () => undefined,
    (e: unknown) => e,
  );
}

describe('rest-json: a busy code in a 200 with Retry-After', () => {
  it('a batch upload fails with the wait asked for', async () => {
    const target = await province(() => busy);
    const e = await thrown(target.deliver([deliveryItem(1)]));
    expect(isLicbridgeError(e) && e.code).toBe(ErrorCodes.TARGET_UNREACHABLE);
    expect(isLicbridgeError(e) && e.retryable).toBe(true);
    expect(isLicbridgeError(e) && e.context.retryAfterMs).toBe(120_000);
  });

  it('the licenses left after an answered request fail with the wait asked for', async () => {
    const target = await province((n) => (n === 1 ? busy : undefined));
    const outcomes = await target.deliver([deliveryItem(1), deliveryItem(2), deliveryItem(3)]);
    expect(outcomes.map((o) => [o.state, o.retryAfterMs])).toEqual([
      ['accepted', undefined],
      ['failed', 120_000],
      ['failed', 120_000],
    ]);
  });

  it('a status request fails with the wait asked for', async () => {
    const target = await province(() => busy);
    const [o] = await target.poll([{ key: deliveryItem(1).key, platformId: null, receipt: null }]);
    expect(o).toMatchObject({ state: 'failed', retryable: true, unverified: true, retryAfterMs: 120_000 });
  });

  it('a lookup fails with the wait asked for', async () => {
    const target = await province(() => busy);
    const e = await thrown(target.lookup([deliveryItem(1).licenseId]));
    expect(isLicbridgeError(e) && e.context.retryAfterMs).toBe(120_000);
  });
});
