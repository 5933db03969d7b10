/**
 * Two deliver jobs of one run whose version sets share their first and last id and their count
 * (a re-delivery of some versions of a range a job of the run delivered before) had one job id:
 * BullMQ ignored the second add, and its versions were never delivered by that run. Both now run.
 */
import { randomUUID } from 'node:crypto';
import { expect, it } from 'vitest';
import { createLogger } from '../../core/logger.js';
import { bullmq } from '../../pipelines/bullmq.js';
import { enqueueDeliver } from '../../pipelines/jobs.js';
import { createQueues, type DeliverJobData, deliverQueueName } from '../../pipelines/queues.js';
import { queueConnection } from '../../pipelines/redis.js';
import { obliterate } from '../support/demo-workspace.js';
import { until } from '../support/until.js';

it('two deliver jobs of one run with the same ends and count both run', async () => {
  const prefix = `lb-same-ends-${randomUUID().slice(0, 8)}`;
  const connection = queueConnection('redis://127.0.0.1:6379');
  const queues = createQueues(connection, prefix, ['province'], createLogger({ level: 'silent' }));
  const config = { targets: { province: { kind: 'rest-json', attempts: 2, backoffMs: 100 } } } as never;
  const ran: number[][] = [];
  const worker = new bullmq.Worker<DeliverJobData>(
    deliverQueueName('province'),
    async (job) => {
      ran.push(job.data.versionIds);
    },
    { connection, prefix },
  );
  worker.on('error', () => undefined);
  try {
    const job = { pipeline: 'food', runId: 'r1' };
    await enqueueDeliver(config, queues, 'province', { ...job, versionIds: [5, 7, 9] });
    await until(() => ran.length === 1, 20_000, { what: 'the first job run' });
    await enqueueDeliver(config, queues, 'province', { ...job, versionIds: [5, 8, 9] });
    // The same set again is the same job: a no-op while the first is kept.
    await enqueueDeliver(config, queues, 'province', { ...job, versionIds: [5, 7, 9] });
    await until(() => ran.length === 2, 20_000, { what: 'the second job run' }).catch(() => undefined);
    const deliver = queues.deliver.get('province');
    expect(await deliver?.getJobCounts('completed', 'waiting', 'active', 'delayed')).toEqual({
      completed: 2,
      waiting: 0,
      active: 0,
      delayed: 0,
    });
    expect(ran).toEqual([
      [5, 7, 9],
      [5, 8, 9],
    ]);
  } finally {
    await worker.close();
    await queues.close();
    await obliterate(prefix);
  }
}, 60_000);
