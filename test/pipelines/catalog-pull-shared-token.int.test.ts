/**
 * `licbridge catalog pull` beside delivery workers, one OAuth2 client: the pull fetched a token of
 * its own, so where issuing a token retires the one before, each pull cost every worker a refused
 * delivery and a refetch (which retired the pull's token in turn). With the queue's Redis the pull
 * now takes the workers' shared token (token-share.ts); with Redis out of reach it keeps a token
 * of its own, as a worker does.
 */
import { randomUUID } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Redis } from 'ioredis';
import { pino } from 'pino';
import { afterEach, describe, expect, it } from 'vitest';
import { startProvinceSimulator } from '../../adapters/simulators/province/province-simulator.js';
import type { Config } from '../../config/types.js';
import { pullCatalog } from '../../pipelines/catalog-pull.js';
import { Runtime } from '../../pipelines/runtime.js';
import { deliveryItem, restConfig } from '../platforms/license-fixture.js';

const CLIENT = { clientId: 'district-a', clientSecret: 'cs-90d3b7f1' };
const TYPES = [{ code: '11370200MB12345674001', name: '食品经营许可证' }];

const closers: (() => Promise<unknown>)[] = [];
afterEach(async () => {
  for (const c of closers.splice(0).reverse()) await c();
});

/** The province platform with revoking OAuth2 tokens, and a config of it with the queue's Redis at `redis`. */
async function platform(redis: string) {
  const sim = await startProvinceSimulator({
    oauth2: { ...CLIENT, previous: 'revoked' },
    catalogTypes: TYPES,
  });
  closers.push(() => sim.close());
  const dir = await mkdtemp(join(tmpdir(), 'lb-pull-token-'));
  closers.push(() => rm(dir, { recursive: true, force: true }));
  const prefix = `test-${randomUUID()}`;
  closers.push(async () => {
    const r = new Redis('redis://127.0.0.1:6379');
    const keys = await r.keys(`${prefix}:*`);
    if (keys.length > 0) await r.del(...keys);
    r.disconnect();
  });
  const config = {
    file: join(dir, 'licbridge.yaml'),
    catalog: join(dir, 'catalog'),
    queue: { redis, prefix },
    targets: {
      province: restConfig(sim.url, {
        auth: { scheme: 'oauth2', tokenUrl: `${sim.url}/oauth/token`, ...CLIENT, refreshSkewSeconds: 60 },
      }),
    },
  } as unknown as Config;
  return { sim, config, out: join(dir, 'pulled') };
}

describe('catalog pull beside a delivery worker, one OAuth2 client', () => {
  it('takes the worker’s token: no delivery is refused, no token fetched again', async () => {
    const { sim, config, out } = await platform('redis://127.0.0.1:6379');
    const worker = new Runtime(config, pino({ level: 'silent' }));
    closers.push(() => worker.close());
    const target = await worker.target('province');
    const states: string[] = [];
    for (let n = 1; n <= 3; n += 1) {
      const [outcome] = await target.deliver([deliveryItem(n)]);
      states.push(outcome?.state ?? 'none');
      if (n < 3) expect((await pullCatalog(config, 'province', out)).written).toHaveLength(1);
    }
    expect(states).toEqual(['accepted', 'accepted', 'accepted']);
    // Each pull fetching its own: 5 tokens, and the worker's delivery after each pull refused.
    expect(sim.tokens()).toEqual({ issued: 1, refused: 0 });
  });

  it('with Redis out of reach, pulls with a token of its own', async () => {
    // Port 1: nothing listens there.
    const { sim, config, out } = await platform('redis://127.0.0.1:1');
    expect((await pullCatalog(config, 'province', out)).written).toHaveLength(1);
    expect(sim.tokens()).toEqual({ issued: 1, refused: 0 });
  });
});
