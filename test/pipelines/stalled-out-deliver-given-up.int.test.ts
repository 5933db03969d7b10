/**
 * A deliver job whose worker dies every time it takes it, in a process of workers alone
 * (`licbridge worker`). BullMQ 6 fails a job stalled more than `maxStalledCount` times only when
 * the next worker takes it (`moveStalledJobsToWait` marks it, the worker fails it with an
 * `UnrecoverableError` before running it), so the failure reaches that worker's `failed` listener
 * as any final failure does. Its copy stalling out too, the job is given up: the run fails in the
 * ledger naming the queue and the job, and the job's versions stay owed to the target, for the
 * pipeline's next run to queue again — nothing sent twice, nothing dropped. The dying worker is a real BullMQ worker that
 * takes the job and never renews its lock; the live workers fail it at the first stall.
 */
import { randomUUID } from 'node:crypto';
import type { Job } from 'bullmq';
import { afterEach, describe, expect, it } from 'vitest';
import { createLogger } from '../../core/logger.js';
import { enqueueExtract } from '../../pipelines/jobs.js';
import { type DeliverJobData, deliverQueueName } from '../../pipelines/queues.js';
import { recoverUnqueuedDeliveries } from '../../pipelines/sweep.js';
import { recordRunFailures } from '../../pipelines/workers/run-failures.js';
import { stalledWorker } from '../support/stalled-worker.js';
import { until } from '../support/until.js';

const PIPELINE = 'food-business-licenses';
const quiet = createLogger({ level: 'silent' });

describe('a deliver job whose worker dies every time', () => {
  const stalled = stalledWorker();

  afterEach(() => stalled.close());

  it('stalled out again, fails its run in the ledger; its deliveries stay owed', async () => {
    const { ws, rt, queues } = await stalled.setUp(5);
    const deliver = queues.deliver.get('province');
    if (!deliver) throw new Error('no deliver queue');
    const ledger = await rt.ledger();

    // A run extracted and signed by real workers, its deliver job left waiting.
    const runId = randomUUID();
    await ledger.startRun({ runId, pipeline: PIPELINE, mode: 'full' });
    await enqueueExtract(queues, { pipeline: PIPELINE, runId, full: true });
    stalled.start(['extract', 'sign']);
    await until(async () => {
      if (!(await ledger.getRun(runId))?.extractedAt) return false;
      const signing = await queues.sign.getJobCounts('waiting', 'active', 'delayed', 'prioritized');
      return Object.values(signing).every((n) => n === 0) && (await deliver.getWaitingCount()) > 0;
    });
    await stalled.closeWorkers();
    const [first, ...others] = (await deliver.getJobs(['waiting'])) as Job<DeliverJobData>[];
    expect(others).toEqual([]);
    if (!first?.id) throw new Error('no deliver job');
    const versionIds = first.data.versionIds;
    expect(versionIds.length).toBeGreaterThan(0);

    // The job stalled out once already and was queued again as its copy, which now dies too.
    await first.remove();
    const copyId = `${first.id}-stalled-1`;
    await deliver.add('deliver', { ...first.data, stalledOut: 1 } as DeliverJobData, { jobId: copyId });
    expect((await stalled.takeAndDie(deliverQueueName('province')))?.id).toBe(copyId);

    // Workers alone: a run's failure goes to the ledger as `licbridge worker` records it.
    const workers = stalled.live(['deliver']);
    const failures = recordRunFailures(workers.events, () => rt.ledger(), quiet);
    try {
      await until(async () => (await ledger.getRun(runId))?.state !== 'running');
      await failures.flush();
    } finally {
      failures.stop();
    }

    const run = await ledger.getRun(runId);
    expect(run?.state).toBe('failed');
    expect(run?.error).toMatch(
      new RegExp(`^deliver-province: job ${copyId} stalled out 2 times: .*its versions stay in the ledger`),
    );
    expect(await deliver.getJobState(copyId)).toBe('failed');
    // Owed, not lost: none reached the platform, none is dead-lettered or final.
    const states = await ledger.deliveryStates(versionIds, 'province');
    expect(states.map((s) => s.state)).toEqual(versionIds.map(() => null));
    expect(ws.simulator.stats().received).toBe(0);
    // The pipeline's next run queues them again, and they land, each once.
    const later = randomUUID();
    expect(await recoverUnqueuedDeliveries(rt, queues, PIPELINE, later, `${later}-recover`)).toBe(1);
    await until(async () => ws.simulator.stats().accepted === versionIds.length);
    expect(ws.simulator.stats().received).toBe(versionIds.length);
  }, 60_000);
});
