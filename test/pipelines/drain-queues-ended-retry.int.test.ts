/**
 * `licbridge run` empties the queues it worked by promoting delayed jobs, a job of a run that has
 * ended too: a run stopped by SIGTERM ends `abandoned`, and its work is the pipeline's next run's
 * (docs/operations.md, stopping a run), so a job of it is worked here as a worker would take it.
 * Worked once. A retry backing off from a platform that is down failed back to the delayed list
 * and was promoted again every 200 ms of the drain: its eight attempts spent in two seconds, its
 * deliveries dead-lettered on a passing outage. A job promoted once and delayed again is left to
 * its time.
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

describe('drainQueues and a retry of a run that has ended', () => {
  let database: TestDatabase;
  let ledger: Ledger;
  const prefix = `test-${randomUUID()}`;
  const connection = queueConnection('redis://127.0.0.1:6379');
  const queue = new bullmq.Queue('deliver-down', { connection, prefix });
  let attempts = 0;
  // The platform is down: every delivery fails and backs off for a minute.
  const worker = new bullmq.Worker(
    'deliver-down',
    async () => {
      attempts += 1;
      throw new Error('platform: 503');
    },
    { connection, prefix },
  );

  beforeAll(async () => {
    database = await sqliteBackend.create();
    ledger = await openLedger(database.url, { logger: quietLogger });
    await ledger.startRun({ runId: 'stopped', pipeline: 'food', mode: 'incremental' });
    await ledger.finishRun('stopped', { state: 'abandoned', error: 'stopped (SIGTERM)' });
  });
  afterAll(async () => {
    await worker.close();
    await queue.obliterate({ force: true });
    await queue.close();
    await ledger?.close();
    await database?.dispose();
  });

  it('works it once, then leaves it to its backoff with its attempts left', async () => {
    const retry = await queue.add(
      'deliver',
      { pipeline: 'food', runId: 'stopped' },
      { attempts: 8, backoff: { type: 'fixed', delay: 60_000 } },
    );
    const end = Date.now() + 10_000;
    while ((await queue.getJobState(retry.id ?? '')) !== 'delayed' && Date.now() < end)
      await new Promise((r) => setTimeout(r, 20));
    expect(attempts).toBe(1);

    expect(await drainQueues([queue], 2000, logger, heldByRunningRun(ledger))).toBe(true);

    // Its own attempt and the one the drain gave it; six left for when the platform is back.
    expect(attempts).toBe(2);
    expect((await queue.getJob(retry.id ?? ''))?.attemptsMade).toBe(2);
    expect(await queue.getJobState(retry.id ?? '')).toBe('delayed');
  });
});
