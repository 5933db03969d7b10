/**
 * A Redis that may evict keys under memory pressure (`maxmemory-policy` other than `noeviction`)
 * loses a job or a schedule without a trace. BullMQ says so only with a bare `console.warn` per
 * connection, outside the log; licbridge logs one structured warning when it first reaches Redis.
 * Against a `redis-server` of the test's own: the policy of the shared one is never changed, as
 * other test files use it at the same time.
 */
import { Writable } from 'node:stream';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createLogger } from '../../core/logger.js';
import { assertRedisReachable } from '../../pipelines/redis.js';
import { adminClient, type LoneRedis, startLoneRedis } from '../support/redis-servers.js';

/** The log lines `assertRedisReachable` writes, parsed. */
async function logged(url: string): Promise<Record<string, unknown>[]> {
  const lines: string[] = [];
  const destination = new Writable({
    write(chunk, _encoding, done) {
      lines.push(...String(chunk).split('\n').filter(Boolean));
      done();
    },
  });
  await assertRedisReachable(url, 3000, createLogger({ destination }));
  return lines.map((l) => JSON.parse(l) as Record<string, unknown>);
}

describe('a Redis that may evict keys', () => {
  let own: LoneRedis | undefined;
  let admin: ReturnType<typeof adminClient> | undefined;

  beforeAll(async () => {
    own = await startLoneRedis();
    admin = adminClient(own.port);
  }, 30_000);

  afterAll(async () => {
    admin?.disconnect();
    await own?.stop();
  });

  it('is a structured warning naming the policy and the fix, not a reason to stop', async () => {
    await admin?.config('SET', 'maxmemory-policy', 'allkeys-lru');
    const lines = await logged(own?.url ?? '');
    expect(lines).toHaveLength(1);
    expect(lines[0]).toMatchObject({ level: 40, redis: own?.url, maxmemoryPolicy: 'allkeys-lru' });
    expect(lines[0]?.msg).toContain('set `maxmemory-policy noeviction`');
  });

  it('says nothing when Redis keeps every key', async () => {
    await admin?.config('SET', 'maxmemory-policy', 'noeviction');
    expect(await logged(own?.url ?? '')).toEqual([]);
  });
});
