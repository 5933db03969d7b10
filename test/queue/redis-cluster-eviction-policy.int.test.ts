/**
 * On a Redis Cluster every queue lives on the master holding its hash tag's slot, and each master
 * has its own `maxmemory-policy`. The check asked INFO of whichever master the cluster client
 * picked for a command without a key (a random one), so a master that may evict keys went
 * unwarned two times in three on a cluster of three (redis-eviction-policy for one Redis).
 */
import { Writable } from 'node:stream';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createLogger } from '../../core/logger.js';
import { assertRedisReachable } from '../../pipelines/redis.js';
import { adminClient, type RedisClusterSet, startRedisCluster } from '../support/redis-servers.js';

/** The log lines one `assertRedisReachable` of the cluster writes, parsed. */
async function logged(ports: readonly number[]): Promise<Record<string, unknown>[]> {
  const lines: string[] = [];
  const destination = new Writable({
    write(chunk, _encoding, done) {
      lines.push(...String(chunk).split('\n').filter(Boolean));
      done();
    },
  });
  await assertRedisReachable(
    { cluster: ports.map((p) => `127.0.0.1:${p}`), db: 0, tls: false },
    5000,
    createLogger({ destination }),
  );
  return lines.map((l) => JSON.parse(l) as Record<string, unknown>);
}

describe('a Redis Cluster one master of which may evict keys', () => {
  let cluster: RedisClusterSet | undefined;

  beforeAll(async () => {
    cluster = await startRedisCluster();
  }, 60_000);

  afterAll(async () => {
    await cluster?.stop();
  });

  it('is warned of at every check, naming that master', async () => {
    const ports = cluster?.ports ?? [];
    const evicting = ports[2] ?? 0;
    const admin = adminClient(evicting);
    try {
      await admin.config('SET', 'maxmemory-policy', 'allkeys-lru');
    } finally {
      admin.disconnect();
    }
    // Each check on its own: a random master asked each time missed it in (2/3)^n of n checks.
    for (let i = 0; i < 8; i++) {
      const lines = await logged(ports);
      expect(lines).toHaveLength(1);
      expect(lines[0]).toMatchObject({ level: 40, maxmemoryPolicy: 'allkeys-lru' });
      expect(lines[0]?.msg).toContain(`127.0.0.1:${evicting}`);
      expect(lines[0]?.msg).toContain('set `maxmemory-policy noeviction`');
    }
  }, 60_000);

  it('says nothing when every master keeps every key', async () => {
    const ports = cluster?.ports ?? [];
    for (const port of ports) {
      const admin = adminClient(port);
      try {
        await admin.config('SET', 'maxmemory-policy', 'noeviction');
      } finally {
        admin.disconnect();
      }
    }
    for (let i = 0; i < 3; i++) expect(await logged(ports)).toEqual([]);
  }, 60_000);
});
