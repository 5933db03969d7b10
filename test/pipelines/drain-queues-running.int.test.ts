/**
 * `licbridge run` empties the queues it worked before stopping its workers, promoting delayed
 * jobs, whose work its own finished run says is done. A job of a run still `running` (another
 * pipeline's retry backing off from a platform that is down, a scheduled run's) is work not done:
 * promoted, it ran at once and failed back to the delayed list, again every 200 ms of the drain,
 * spending its attempts on a passing outage and dead-lettering it. It is left to its time now; a
 * job of a run that has ended is promoted and finished as before.
 */
import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createLogger } from '../../core/logger.js';
import type { Ledger } from '../../ledger/ledger.js';
import { openLedger } from '../../ledger/open-ledger.js';
import { bullmq } from '../../pipelines/bullmq.js';
import { drainQueues, heldByRunningRun } from '../../pipelines/drain-queues.js';
import { queueConnection } from '../../pipelines/redis.js';
import { quietLogger, sqliteBackend, type TestDatabase } from '../ledger/backends.js';

const logger = createLogger({ level: 'silent' });

describe('drainQueues and the jobs of runs still running', () => {
  let database: TestDatabase;
  let ledger: Ledger;
  const prefix = `test-${randomUUID()}`;
  const connection = queueConnection('redis://127.0.0.1:6379');
  const queue = new bullmq.Queue('deliver-down', { connection, prefix });
  const worked: string[] = [];
  // The platform of `running-elsewhere` is down: its deliveries fail and back off for a minute.
  const worker = new bullmq.Worker(
    'deliver-down',
    async (job) => {
      worked.push(job.data.runId as string);
      if (job.data.runId === 'running-elsewhere') throw new Error('platform: 503');
    },
    { connection, prefix },
  );

  beforeAll(async () => {
    database = await sqliteBackend.create();
    ledger = await openLedger(database.url, { logger: quietLogger });
    await ledger.startRun({ runId: 'running-elsewhere', pipeline: 'other', mode: 'incremental' });
    await ledger.startRun({ runId: 'ended', pipeline: 'food', mode: 'incremental' });
    await ledger.finishRun('ended', { state: 'failed', error: 'ended' });
  });
  afterAll(async () => {
    await worker.close();
    await queue.obliterate({ force: true });
    await queue.close();
    await ledger?.close();
    await database?.dispose();
  });

  it('leaves a retry of a running run to its backoff and finishes a delayed job of an ended run', async () => {
    const retry = await queue.add(
      'deliver',
      { pipeline: 'other', runId: 'running-elsewhere' },
      { attempts: 8, backoff: { type: 'fixed', delay: 60_000 } },
    );
    const end = Date.now() + 10_000;
    while ((await queue.getJobState(retry.id ?? '')) !== 'delayed' && Date.now() < end)
      await new Promise((r) => setTimeout(r, 20));
    expect(await queue.getJobState(retry.id ?? '')).toBe('delayed');
    const leftOver = await queue.add('deliver', { pipeline: 'food', runId: 'ended' }, { delay: 60_000 });

    expect(await drainQueues([queue], 2000, logger, heldByRunningRun(ledger))).toBe(true);

    // The failing job had its one attempt, and waits out its backoff.
    expect(worked.filter((r) => r === 'running-elsewhere')).toHaveLength(1);
    expect((await queue.getJob(retry.id ?? ''))?.attemptsMade).toBe(1);
    expect(await queue.getJobState(retry.id ?? '')).toBe('delayed');
    // The ended run's job was promoted and worked.
    expect(await queue.getJobState(leftOver.id ?? '')).toBe('completed');
  });
});
