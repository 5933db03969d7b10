/**
 * A Redis that may evict keys under memory pressure (`maxmemory-policy` other than `noeviction`)
 * loses a job or a schedule without a trace. BullMQ says so only with a bare `console.warn` per
 * connection, outside the log; licbridge logs one structured warning when it first reaches Redis.
 * The policy of the local Redis is changed for the test and put back after.
 */
import { Writable } from 'node:stream';
import { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createLogger } from '../../core/logger.js';
import { assertRedisReachable } from '../../pipelines/redis.js';

const URL = 'redis://127.0.0.1:6379';

/** The log lines `assertRedisReachable` writes, parsed. */
async function logged(): Promise<Record<string, unknown>[]> {
  const lines: string[] = [];
  const destination = new Writable({
    write(chunk, _encoding, done) {
      lines.push(...String(chunk).split('\n').filter(Boolean));
      done();
    },
  });
  await assertRedisReachable(URL, 3000, createLogger({ destination }));
  return lines.map((l) => JSON.parse(l) as Record<string, unknown>);
}

describe('a Redis that may evict keys', () => {
  const admin = new Redis(URL);
  let before = 'noeviction';

  beforeAll(async () => {
    before = ((await admin.config('GET', 'maxmemory-policy')) as string[])[1] ?? 'noeviction';
  });

  afterAll(async () => {
    await admin.config('SET', 'maxmemory-policy', before);
    await admin.quit();
  });

  it('is a structured warning naming the policy and the fix, not a reason to stop', async () => {
    await admin.config('SET', 'maxmemory-policy', 'allkeys-lru');
    const lines = await logged().finally(() => admin.config('SET', 'maxmemory-policy', before));
    expect(lines).toHaveLength(1);
    expect(lines[0]).toMatchObject({
      level: 40,
      redis: 'redis://127.0.0.1:6379',
      maxmemoryPolicy: 'allkeys-lru',
    });
    expect(lines[0]?.msg).toContain('set `maxmemory-policy noeviction`');
  });

  it('says nothing when Redis keeps every key', async () => {
    await admin.config('SET', 'maxmemory-policy', 'noeviction');
    const lines = await logged().finally(() => admin.config('SET', 'maxmemory-policy', before));
    expect(lines).toEqual([]);
  });
});
