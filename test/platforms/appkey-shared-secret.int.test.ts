/**
 * Several licbridge processes signing `md5(appKey + secret + requestTime)` for one app key, with a
 * `refreshUrl`: STANDARDS.md §5 says the secret is refreshed by an API but not whether a refresh
 * retires the secret before it. Where it does, each process refreshing on its own knocked out the
 * others' secret: their next request was refused, their refresh knocked out this one, and every
 * delivery paid a refusal and a refresh. The refreshed secret is now shared through Redis as the
 * OAuth2 token is (token-share.ts): sealed, with a TTL, refreshed by one process under a lock, and
 * refreshed again only by a process refused with the secret still shared.
 */
import { randomUUID } from 'node:crypto';
import { Redis } from 'ioredis';
import { pino } from 'pino';
import { afterEach, describe, expect, it } from 'vitest';
import { RestJsonTarget } from '../../adapters/platforms/rest-json/rest-json-target.js';
import { openToken, RedisTokenShare, tokenKey } from '../../adapters/platforms/shared/auth/token-share.js';
import type { DeliveryOutcome } from '../../adapters/platforms/target.js';
import { startProvinceSimulator } from '../../adapters/simulators/province/province-simulator.js';
import type { Config } from '../../config/types.js';
import { Runtime } from '../../pipelines/runtime.js';
import { deliveryItem, restConfig } from './license-fixture.js';

const REDIS_URL = 'redis://127.0.0.1:6379';
const APP = { appKey: 'district-a', secret: 'configured-5e1c9a' };

const closers: (() => Promise<unknown>)[] = [];
afterEach(async () => {
  for (const c of closers.splice(0).reverse()) await c();
});

/** The province platform signing with app secrets, and `count` processes each with its own Redis connection. */
async function processes(count: number, previous: 'revoked' | 'kept') {
  const sim = await startProvinceSimulator({ appkeyMd5: { ...APP, previous } });
  closers.push(() => sim.close());
  const prefix = `test-${randomUUID()}`;
  closers.push(async () => {
    const redis = new Redis(REDIS_URL);
    const keys = await redis.keys(`${prefix}:*`);
    if (keys.length > 0) await redis.del(...keys);
    redis.disconnect();
  });
  const refreshUrl = `${sim.url}/auth/secret`;
  const targets = Array.from({ length: count }, () => {
    const redis = new Redis(REDIS_URL, { maxRetriesPerRequest: 1, commandTimeout: 2000 });
    redis.on('error', () => undefined);
    const target = new RestJsonTarget(
      'province',
      restConfig(sim.url, { auth: { scheme: 'appkey-md5', ...APP, refreshUrl } }),
      { tokenShare: new RedisTokenShare(redis, prefix), logger: pino({ level: 'silent' }) },
    );
    closers.push(async () => {
      await target.close();
      redis.disconnect();
    });
    return target;
  });
  return { sim, prefix, targets, refreshUrl };
}

async function statesOf(deliveries: Promise<DeliveryOutcome[]>[]): Promise<string[]> {
  const settled = await Promise.allSettled(deliveries);
  return settled.map((s) =>
    s.status === 'fulfilled' ? (s.value[0]?.state ?? 'none') : `threw ${(s.reason as Error).message}`,
  );
}

describe('appkey-md5 secret shared by processes, a platform whose refresh retires the secret before', () => {
  it('after the platform rotates, two processes delivering in turn refresh once', async () => {
    const { sim, targets } = await processes(2, 'revoked');
    expect(await statesOf(targets.map((t, i) => t.deliver([deliveryItem(i + 1)])))).toEqual([
      'accepted',
      'accepted',
    ]);
    sim.rotateSecret();
    const states: string[] = [];
    for (let n = 1; n <= 10; n += 1) {
      const target = targets[n % 2];
      if (!target) throw new Error('no target');
      states.push(...(await statesOf([target.deliver([deliveryItem(n + 10)])])));
    }
    expect(states).toEqual(Array(10).fill('accepted'));
    // Each process refreshing on its own: 10 refreshes and 10 refusals, every delivery's first
    // try signed with the secret the other process's refresh retired.
    expect(sim.secrets()).toEqual({ refreshed: 1, refused: 2 });
  });

  it('four processes delivering at once after a rotation: every delivery lands, with one refresh', async () => {
    const { sim, targets } = await processes(4, 'revoked');
    sim.rotateSecret();
    const states: string[] = [];
    for (let round = 0; round < 3; round += 1) {
      states.push(...(await statesOf(targets.map((t, i) => t.deliver([deliveryItem(round * 10 + i + 1)])))));
    }
    expect(states).toEqual(Array(12).fill('accepted'));
    expect(sim.secrets()).toEqual({ refreshed: 1, refused: 4 });
  });

  it('keeps the secret in Redis sealed, with a TTL', async () => {
    const { sim, prefix, targets, refreshUrl } = await processes(1, 'revoked');
    sim.rotateSecret();
    const [target] = targets;
    if (!target) throw new Error('no target');
    expect(await statesOf([target.deliver([deliveryItem(1)])])).toEqual(['accepted']);
    const redis = new Redis(REDIS_URL);
    closers.push(async () => redis.disconnect());
    const client = { tokenUrl: refreshUrl, clientId: APP.appKey, clientSecret: APP.secret };
    const key = await tokenKey(prefix, client, 'appkey-secret');
    expect(await redis.keys(`${prefix}:*`)).toEqual([key]);
    const entry = (await redis.get(key)) ?? '';
    const secret = (await openToken(client, entry, 'appkey-secret'))?.value ?? '';
    expect(secret.length).toBeGreaterThan(0);
    expect(entry).not.toContain(secret);
    expect(entry).not.toContain(APP.appKey);
    // Not readable as an OAuth2 token of the same names, nor under another configured secret.
    expect(await openToken(client, entry)).toBeUndefined();
    expect(await openToken({ ...client, clientSecret: 'another' }, entry, 'appkey-secret')).toBeUndefined();
    expect(await redis.pttl(key)).toBeGreaterThan(0);
  });
});

describe('appkey-md5 secret shared by processes, a platform keeping earlier secrets', () => {
  it('two processes refresh once too', async () => {
    const { sim, targets } = await processes(2, 'kept');
    sim.rotateSecret();
    expect(await statesOf(targets.map((t, i) => t.deliver([deliveryItem(i + 1)])))).toEqual([
      'accepted',
      'accepted',
    ]);
    expect(sim.secrets().refreshed).toBe(1);
  });
});

describe('appkey-md5 secret shared by runtimes', () => {
  it('a worker and a run beside it (two runtimes of one config) refresh once after a rotation', async () => {
    const { sim, prefix, refreshUrl } = await processes(0, 'revoked');
    const config = {
      file: '/nonexistent/licbridge.yaml',
      queue: { redis: REDIS_URL, prefix },
      targets: { province: restConfig(sim.url, { auth: { scheme: 'appkey-md5', ...APP, refreshUrl } }) },
    } as unknown as Config;
    const runtimes = [
      new Runtime(config, pino({ level: 'silent' })),
      new Runtime(config, pino({ level: 'silent' })),
    ];
    for (const rt of runtimes) closers.push(() => rt.close());
    sim.rotateSecret();
    const states: string[] = [];
    for (let n = 1; n <= 4; n += 1) {
      const target = await runtimes[n % 2]?.target('province');
      if (!target) throw new Error('no target');
      states.push(...(await statesOf([target.deliver([deliveryItem(n)])])));
    }
    expect(states).toEqual(Array(4).fill('accepted'));
    // The second runtime's target, opened after the first refreshed, signs with the shared secret
    // from its first request. Each refreshing on its own: 4 refreshes, every delivery refused once.
    expect(sim.secrets()).toEqual({ refreshed: 1, refused: 1 });
  });
});
