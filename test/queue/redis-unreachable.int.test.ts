import { randomUUID } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import type { RedisServersConfig } from '../../config/types.js';
import { ErrorCodes, LicbridgeError } from '../../core/errors.js';
import { assertRedisReachable, type QueueRedis } from '../../pipelines/redis.js';
import { freePort } from '../support/redis-servers.js';

/** The error `assertRedisReachable` throws for `redis`; fails the test when Redis answers. */
async function unreachable(redis: QueueRedis): Promise<LicbridgeError> {
  const error = await assertRedisReachable(redis, 2000).then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(LicbridgeError);
  expect((error as LicbridgeError).code).toBe(ErrorCodes.QUEUE_UNREACHABLE);
  return error as LicbridgeError;
}

/** Everything an error carries that could reach a log: message, context, causes. */
const everything = (e: LicbridgeError): string =>
  JSON.stringify({ message: e.message, context: e.context, cause: String(e.cause ?? '') });

const mapping = (m: Partial<RedisServersConfig>): RedisServersConfig => ({ db: 0, tls: false, ...m });

describe('an unreachable Redis is named by host:port only, never with its credentials', () => {
  const user = `user-${randomUUID().slice(0, 8)}`;
  const password = `pw-${randomUUID()}`;
  const sentinelPassword = `spw-${randomUUID()}`;

  it('one Redis, from a URL carrying a user and password', async () => {
    const port = await freePort();
    const e = await unreachable(`redis://${user}:${password}@127.0.0.1:${port}/0`);
    expect(e.message).toContain(`queue: Redis is not reachable at redis://127.0.0.1:${port}:`);
    // One full stop after the driver's words, which may end with their own.
    expect(e.message).not.toMatch(/\.\. /);
    expect(everything(e)).not.toContain(password);
    expect(everything(e)).not.toContain(user);
  });

  it('Redis behind Sentinel: the sentinels and the master name', async () => {
    const ports = [await freePort(), await freePort()];
    const e = await unreachable(
      mapping({
        sentinels: ports.map((p) => `127.0.0.1:${p}`),
        name: 'lb-master',
        username: user,
        password,
        sentinelPassword,
      }),
    );
    expect(e.message).toContain(
      `queue: Redis is not reachable at master \`lb-master\` via sentinels 127.0.0.1:${ports[0]}, 127.0.0.1:${ports[1]}:`,
    );
    for (const secret of [user, password, sentinelPassword]) expect(everything(e)).not.toContain(secret);
  });

  it('a Redis Cluster: its nodes', async () => {
    const port = await freePort(true);
    const e = await unreachable(mapping({ cluster: [`127.0.0.1:${port}`], username: user, password }));
    expect(e.message).toContain(`queue: Redis is not reachable at cluster 127.0.0.1:${port}:`);
    for (const secret of [user, password]) expect(everything(e)).not.toContain(secret);
  });
});
