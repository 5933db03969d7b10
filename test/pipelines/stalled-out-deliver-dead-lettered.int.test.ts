/**
 * A deliver job whose worker dies every time it takes it (a poison job), in a process of workers
 * alone. Its copy stalling out too, its deliveries were left owed and its run failed: each run of
 * the pipeline queued them again, and the job killed up to 12 workers a run, run after run. Given
 * up, its open deliveries now become dead letters, as those of any job that keeps failing do, with
 * a reason naming the crash; the next run queues none of them, and `licbridge dlq replay` sends
 * each once. The dying worker is a real BullMQ worker that takes the job and never renews its lock.
 */
import { randomUUID } from 'node:crypto';
import { afterEach, describe, expect, it } from 'vitest';
import { createLogger } from '../../core/logger.js';
import { replayDeadLetters } from '../../pipelines/dead-letters.js';
import { deliverQueueName } from '../../pipelines/queues.js';
import { recoverUnqueuedDeliveries } from '../../pipelines/sweep.js';
import { recordRunFailures } from '../../pipelines/workers/run-failures.js';
import { stalledWorker } from '../support/stalled-worker.js';
import { until } from '../support/until.js';

const PIPELINE = 'food-business-licenses';
const quiet = createLogger({ level: 'silent' });

describe('a deliver job whose worker dies every time, given up', () => {
  const stalled = stalledWorker();

  afterEach(() => stalled.close());

  it('dead-letters its deliveries naming the crash; no later run queues them; a replay sends each once', async () => {
    const { ws, rt, queues } = await stalled.setUp(5);
    const deliver = queues.deliver.get('province');
    if (!deliver) throw new Error('no deliver queue');
    const ledger = await rt.ledger();

    // A run extracted and signed by real workers, its deliver job left waiting.
    const runId = await stalled.runToDeliver(PIPELINE);
    // The job stalled out once already and was queued again as its copy, which now dies too.
    const { copyId, data } = await stalled.queueStalledCopy();
    const versionIds = data.versionIds;
    expect(versionIds.length).toBeGreaterThan(0);
    expect((await stalled.takeAndDie(deliverQueueName('province')))?.id).toBe(copyId);

    // Workers alone: a run's failure goes to the ledger as `licbridge worker` records it.
    const workers = stalled.live(['deliver']);
    const failures = recordRunFailures(workers.events, () => rt.ledger(), quiet);
    const ended = async () => {
      const states = await ledger.deliveryStates(versionIds, 'province');
      return states.every((s) => s.state !== null) || (await ledger.getRun(runId))?.state === 'failed';
    };
    try {
      await until(async () => (await deliver.getJobState(copyId)) === 'failed' && (await ended()));
      await stalled.closeWorkers();
      await failures.flush();
    } finally {
      failures.stop();
    }

    // Dead letters, each saying the job killed its worker every time it was taken.
    const rows = await ledger.ensureDeliveries(versionIds, 'province');
    expect(rows.map((r) => r.state)).toEqual(versionIds.map(() => 'dead'));
    for (const r of rows)
      expect(r.reasons?.[0]).toMatch(
        new RegExp(
          `^deliver-province: job ${copyId} stalled out 2 times: its worker stopped renewing its lock every time it took it .*; its deliveries are dead-lettered`,
        ),
      );
    const letters = await ledger.listDeadLetters({ target: 'province' });
    expect(letters.map((d) => d.versionId).sort()).toEqual([...versionIds].sort());
    // Ended as a run with dead letters ends, not failed; nothing reached the platform.
    const run = await ledger.getRun(runId);
    expect(run?.state).toBe('done');
    expect(ws.simulator.stats().received).toBe(0);

    // The pipeline's next run owes the platform none of them: the job is not taken again.
    const later = randomUUID();
    expect(await recoverUnqueuedDeliveries(rt, queues, PIPELINE, later, `${later}-recover`)).toBe(0);
    expect(await deliver.getJobCounts('waiting', 'delayed', 'prioritized', 'active')).toEqual({
      waiting: 0,
      delayed: 0,
      prioritized: 0,
      active: 0,
    });

    // Nothing lost: the dead-letter commands send them again, each once.
    const replay = await replayDeadLetters(rt.config, { keys: rows.map((r) => r.key), logger: quiet });
    expect(replay.replayed).toHaveLength(versionIds.length);
    expect(replay.outcomes.map((o) => o.state)).toEqual(versionIds.map(() => 'accepted'));
    expect(ws.simulator.stats().accepted).toBe(versionIds.length);
    expect(ws.simulator.stats().received).toBe(versionIds.length);
  }, 90_000);
});
