/**
 * A reminder tick and delivery workers using one OAuth2 client (one identity service for the
 * province platform and its message gateway): the tick's notify target fetched a token of its own,
 * so where issuing a token retires the one before, each tick knocked out the workers' token (their
 * next delivery refused, their refetch knocking out the tick's). The notify target now shares the
 * token through the queue's Redis as the workers' targets do (token-share.ts).
 */
import { randomUUID } from 'node:crypto';
import { Redis } from 'ioredis';
import { afterAll, describe, expect, it } from 'vitest';
import { startGatewaySimulator } from '../../adapters/simulators/gateway/gateway-simulator.js';
import { startProvinceSimulator } from '../../adapters/simulators/province/province-simulator.js';
import { TokenIssuer } from '../../adapters/simulators/province/token-issuer.js';
import type { Config } from '../../config/types.js';
import { Runtime } from '../../pipelines/runtime.js';
import { deliveryItem, restConfig } from '../platforms/license-fixture.js';
import { blockWorkspace } from './reminders-fixture.js';

const CLIENT = { clientId: 'district-a', clientSecret: 'cs-41c7e2b0' };
const prefix = `test-${randomUUID()}`;

afterAll(async () => {
  const redis = new Redis('redis://127.0.0.1:6379');
  const keys = await redis.keys(`${prefix}:*`);
  if (keys.length > 0) await redis.del(...keys);
  redis.disconnect();
});

describe('a reminder tick beside a delivery worker, one OAuth2 client', () => {
  const ws = blockWorkspace();

  it('uses the worker’s token: neither knocks the other’s out', async () => {
    // One identity service: a token from the province platform's endpoint admits at the gateway too.
    const issuer = new TokenIssuer({ ...CLIENT, previous: 'revoked' }, Date.now);
    const province = await startProvinceSimulator({ oauth2: issuer });
    const gateway = await startGatewaySimulator({ oauth2: issuer });
    const auth = {
      scheme: 'oauth2' as const,
      tokenUrl: `${province.url}/oauth/token`,
      ...CLIENT,
      refreshSkewSeconds: 60,
    };
    const notify = ws.config.targets['holder-sms'];
    if (notify?.kind !== 'notify') throw new Error('expected the notify target');
    const config = {
      ...ws.config,
      queue: { ...ws.config.queue, prefix },
      targets: {
        ...ws.config.targets,
        province: restConfig(province.url, { auth }),
        'holder-sms': { ...notify, url: gateway.url, auth },
      },
    } as Readonly<Config>;
    // The worker: a process of its own, with its own Redis connection.
    const worker = new Runtime(config, ws.rt.logger);
    try {
      const target = await worker.target('province');
      const delivered: string[] = [];
      const deliver = async (n: number) => {
        const [outcome] = await target.deliver([deliveryItem(n)]);
        delivered.push(outcome?.state ?? 'none');
      };
      await deliver(1);
      await ws.commit(1, '2027-03-31', { phone: '13912391001' });
      expect(await ws.tick(config, '2027-03-10')).toMatchObject({ sent: 1, failed: 0 });
      await deliver(2);
      await ws.commit(2, '2027-04-01', { phone: '13912391002' });
      expect(await ws.tick(config, '2027-03-11')).toMatchObject({ sent: 1, failed: 0 });
      await deliver(3);
      expect(delivered).toEqual(['accepted', 'accepted', 'accepted']);
      expect(gateway.stats().sent).toBe(2);
      // Each fetching its own: 5 tokens (the worker's, each tick's, the worker's again after each
      // tick retired its token) and 2 deliveries refused.
      expect(issuer.counts).toEqual({ issued: 1, refused: 0 });
    } finally {
      await worker.close();
      await gateway.close();
      await province.close();
    }
  });
});
