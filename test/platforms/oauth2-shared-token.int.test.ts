/**
 * Several licbridge processes (workers, a CLI run beside them) delivering to one platform client:
 * each fetching its own OAuth2 token, where issuing a token retires the client's previous one,
 * knocked out the others' token at every fetch — their next request was refused, they fetched
 * again and knocked this one out, and a retry landing after yet another fetch was refused for good
 * (TARGET_AUTH). Processes now share one token per client through Redis: fetched once under a
 * lock, fetched again only by a process refused with the token still shared, stored sealed.
 */
import { randomUUID } from 'node:crypto';
import { Writable } from 'node:stream';
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
const CLIENT = { clientId: 'district-a', clientSecret: 'cs-7f3a9d1e' };

const closers: (() => Promise<unknown>)[] = [];
afterEach(async () => {
  for (const c of closers.splice(0).reverse()) await c();
});

/** A silent logger, or one whose lines land in `lines`. */
function logger(lines?: string[]) {
  if (!lines) return pino({ level: 'silent' });
  return pino(
    { level: 'info' },
    new Writable({
      write(chunk: Buffer, _enc, done) {
        lines.push(chunk.toString('utf8'));
        done();
      },
    }),
  );
}

/**
 * The province platform with OAuth2 tokens, and `count` processes delivering to it: each with a
 * Redis connection, a token strategy and an HTTP connection of its own, sharing only Redis.
 */
async function processes(
  count: number,
  previous: 'revoked' | 'kept',
  options: { redisUrl?: string; lines?: string[] } = {},
) {
  const sim = await startProvinceSimulator({ oauth2: { ...CLIENT, previous } });
  closers.push(() => sim.close());
  const prefix = `test-${randomUUID()}`;
  const redisUrl = options.redisUrl ?? REDIS_URL;
  const targets = Array.from({ length: count }, () => {
    // As the runtime's client: a command fails at once while Redis is away, none waits for it.
    const redis = new Redis(redisUrl, { maxRetriesPerRequest: 1, commandTimeout: 2000 });
    redis.on('error', () => undefined);
    const target = new RestJsonTarget(
      'province',
      restConfig(sim.url, {
        auth: { scheme: 'oauth2', tokenUrl: `${sim.url}/oauth/token`, ...CLIENT, refreshSkewSeconds: 60 },
      }),
      { tokenShare: new RedisTokenShare(redis, prefix), logger: logger(options.lines) },
    );
    closers.push(async () => {
      await target.close();
      redis.disconnect();
    });
    return target;
  });
  return { sim, prefix, targets, tokenUrl: `${sim.url}/oauth/token` };
}

/** Each delivery's state, or what it threw. */
async function statesOf(deliveries: Promise<DeliveryOutcome[]>[]): Promise<string[]> {
  const settled = await Promise.allSettled(deliveries);
  return settled.map((s) =>
    s.status === 'fulfilled' ? (s.value[0]?.state ?? 'none') : `threw ${(s.reason as Error).message}`,
  );
}

async function cleanRedis(prefix: string): Promise<void> {
  const redis = new Redis(REDIS_URL);
  const keys = await redis.keys(`${prefix}:*`);
  if (keys.length > 0) await redis.del(...keys);
  redis.disconnect();
}

describe('oauth2 token shared by processes, a platform keeping one token per client', () => {
  it('two processes delivering in turn use one token: none is knocked out', async () => {
    const { sim, prefix, targets } = await processes(2, 'revoked');
    closers.push(() => cleanRedis(prefix));
    const states: string[] = [];
    for (let n = 1; n <= 10; n += 1) {
      const target = targets[n % 2];
      if (!target) throw new Error('no target');
      states.push(...(await statesOf([target.deliver([deliveryItem(n)])])));
    }
    expect(states).toEqual(Array(10).fill('accepted'));
    // Each process fetching its own: 10 tokens, and every delivery's first try after the first
    // two refused, its token retired by the other process's fetch (8 refusals).
    expect(sim.tokens()).toEqual({ issued: 1, refused: 0 });
  });

  it('four processes delivering at once: every delivery lands, with one token', async () => {
    const { sim, prefix, targets } = await processes(4, 'revoked');
    closers.push(() => cleanRedis(prefix));
    const states: string[] = [];
    for (let round = 0; round < 5; round += 1) {
      states.push(...(await statesOf(targets.map((t, i) => t.deliver([deliveryItem(round * 10 + i + 1)])))));
    }
    expect(states).toEqual(Array(20).fill('accepted'));
    expect(sim.tokens()).toEqual({ issued: 1, refused: 0 });
    expect(sim.stats().accepted).toBe(20);
  });

  it('a token the platform retires is fetched again once for every process refused with it', async () => {
    const { sim, prefix, targets } = await processes(4, 'revoked');
    closers.push(() => cleanRedis(prefix));
    expect(await statesOf(targets.map((t, i) => t.deliver([deliveryItem(i + 1)])))).toEqual(
      Array(4).fill('accepted'),
    );
    sim.revokeTokens();
    expect(await statesOf(targets.map((t, i) => t.deliver([deliveryItem(i + 11)])))).toEqual(
      Array(4).fill('accepted'),
    );
    const { issued, refused } = sim.tokens();
    expect(issued).toBe(2);
    // Each process's first request after the revocation is refused once, and its retry passes.
    expect(refused).toBe(4);
  });
});

describe('oauth2 token shared by processes, a platform letting tokens live side by side', () => {
  it('two processes use one token too', async () => {
    const { sim, prefix, targets } = await processes(2, 'kept');
    closers.push(() => cleanRedis(prefix));
    expect(await statesOf(targets.map((t, i) => t.deliver([deliveryItem(i + 1)])))).toEqual([
      'accepted',
      'accepted',
    ]);
    expect(sim.tokens()).toEqual({ issued: 1, refused: 0 });
  });
});

describe('oauth2 token shared by runtimes', () => {
  it('a worker and a run beside it (two runtimes of one config) open the target with one token', async () => {
    const sim = await startProvinceSimulator({ oauth2: { ...CLIENT, previous: 'revoked' } });
    closers.push(() => sim.close());
    const prefix = `test-${randomUUID()}`;
    closers.push(() => cleanRedis(prefix));
    // What Runtime reads of a loaded config to open a target: the target and the queue's Redis.
    const config = {
      file: '/nonexistent/licbridge.yaml',
      queue: { redis: REDIS_URL, prefix },
      targets: {
        province: restConfig(sim.url, {
          auth: { scheme: 'oauth2', tokenUrl: `${sim.url}/oauth/token`, ...CLIENT, refreshSkewSeconds: 60 },
        }),
      },
    } as unknown as Config;
    const runtimes = [new Runtime(config, logger()), new Runtime(config, logger())];
    for (const rt of runtimes) closers.push(() => rt.close());
    const states: string[] = [];
    for (let n = 1; n <= 4; n += 1) {
      const target = await runtimes[n % 2]?.target('province');
      if (!target) throw new Error('no target');
      states.push(...(await statesOf([target.deliver([deliveryItem(n)])])));
    }
    expect(states).toEqual(Array(4).fill('accepted'));
    expect(sim.tokens()).toEqual({ issued: 1, refused: 0 });
  });
});

describe('oauth2 token in Redis', () => {
  it('is sealed, and kept no longer than until it is renewed', async () => {
    const { prefix, targets, tokenUrl } = await processes(1, 'revoked');
    closers.push(() => cleanRedis(prefix));
    const [target] = targets;
    if (!target) throw new Error('no target');
    expect(await statesOf([target.deliver([deliveryItem(1)])])).toEqual(['accepted']);
    const redis = new Redis(REDIS_URL);
    closers.push(async () => redis.disconnect());
    const key = await tokenKey(prefix, { tokenUrl, ...CLIENT });
    expect(await redis.keys(`${prefix}:*`)).toEqual([key]);
    const entry = (await redis.get(key)) ?? '';
    const token = await openToken({ tokenUrl, ...CLIENT }, entry);
    expect(token?.value.length).toBeGreaterThan(0);
    expect(entry).not.toContain(token?.value);
    expect(entry).not.toContain(CLIENT.clientId);
    // Read back under another secret, it is no token at all.
    expect(await openToken({ tokenUrl, ...CLIENT, clientSecret: 'another-secret' }, entry)).toBeUndefined();
    const ttl = await redis.pttl(key);
    expect(ttl).toBeGreaterThan(0);
    expect(ttl).toBeLessThanOrEqual((7200 - 60) * 1000);
  });

  it('Redis out of reach: each process fetches its own token, says so once, and never logs it', async () => {
    const lines: string[] = [];
    // Port 1: nothing listens there.
    const { sim, targets } = await processes(1, 'revoked', { redisUrl: 'redis://127.0.0.1:1', lines });
    const [target] = targets;
    if (!target) throw new Error('no target');
    const states = await statesOf([1, 2, 3].map((n) => target.deliver([deliveryItem(n)])));
    expect(states).toEqual(['accepted', 'accepted', 'accepted']);
    expect(sim.tokens().issued).toBe(1);
    const warnings = lines.filter((l) => l.includes('shared token'));
    expect(warnings).toHaveLength(1);
    expect(lines.join('\n')).not.toMatch(/access_token|Bearer /);
  });
});
