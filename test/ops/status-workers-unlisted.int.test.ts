/**
 * `licbridge status` counts a queue's workers with Redis CLIENT LIST. A Redis user not granted it
 * (a managed Redis, an ACL kept narrow) had the count taken for 0: every queue holding jobs said
 * `no live worker; start licbridge worker` while workers were running, and /metrics said
 * `queue_workers 0`. The count is now unknown, and said so.
 */
import { randomUUID } from 'node:crypto';
import { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { statusText } from '../../cli/commands/status.js';
import { queueAttention } from '../../pipelines/observability/attention.js';
import { queueStats } from '../../pipelines/observability/queue-stats.js';
import type { StatusReport } from '../../pipelines/observability/status-types.js';
import { metricsSetUp, metricValue } from './ops-fixtures.js';

const user = `lb-test-${randomUUID()}`;
const password = randomUUID();
let admin: Redis;

// Registered before the set-up's own hooks: the user exists before its queues connect.
beforeAll(async () => {
  admin = new Redis('redis://127.0.0.1:6379');
  // Everything a queue needs but listing the clients.
  await admin.call('ACL', 'SETUSER', user, 'on', `>${password}`, '~*', '&*', '+@all', '-client|list');
});
afterAll(async () => {
  await admin?.call('ACL', 'DELUSER', user);
  await admin?.quit();
});

describe('status: workers Redis does not list', () => {
  const t = metricsSetUp({
    rows: 1,
    configure: (c) => ({
      ...c,
      queue: { ...c.queue, redis: `redis://${user}:${password}@127.0.0.1:6379` },
      metrics: { ...c.metrics, cacheMs: 0, lagIntervalMs: 0 },
    }),
  });

  it('says the count is unknown, never that no worker is live', async () => {
    const job = await t.queues.extract.add('extract', { pipeline: 'food', runId: 'r1', full: false });
    try {
      const stats = await queueStats(t.queues.extract);
      expect(stats.waiting).toBe(1);
      expect(stats.workersUnknown).toMatch(/NOPERM/);
      const [note, ...rest] = queueAttention([stats]);
      expect(rest).toEqual([]);
      expect(note?.message).toContain(
        'queue extract: 1 waiting job(s), and whether a live worker takes them is unknown: Redis did not list its clients (',
      );
      expect(note?.message).not.toContain('no live worker');
      const text = statusText({
        generatedAt: new Date().toISOString(),
        pipelines: [],
        queues: [stats],
        attention: [],
        information: [],
      } as unknown as StatusReport);
      expect(text).toContain(
        'queue extract: waiting 1, prioritized 0, active 0, delayed 0, failed 0, completed 0; workers unknown\n',
      );
      // No `queue_workers` series rather than a 0 read as none; the job still counted.
      const scraped = await t.scrapeAfresh();
      expect(metricValue(scraped, 'licbridge_queue_jobs', { queue: 'extract', state: 'waiting' })).toBe(1);
      expect(metricValue(scraped, 'licbridge_queue_workers', { queue: 'extract' })).toBeUndefined();
      expect(metricValue(scraped, 'licbridge_attention', { kind: 'queue-unworked' })).toBe(1);
    } finally {
      await job.remove();
    }
  });
});
