/**
 * Recovery in a deployment of `licbridge worker`s alone. The queues are shared by every pipeline:
 * another pipeline's unfinished sign or deliver jobs hold back neither this pipeline's recovery of
 * the deliveries no job holds nor the `delivery-unqueued` note, while its own sign job still holds
 * back the deliveries of the versions it holds.
 */
import type { Queue } from 'bullmq';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Config } from '../../config/types.js';
import { queueStats, queuesOf } from '../../pipelines/observability/queue-stats.js';
import { collectStatus, type StatusReport } from '../../pipelines/observability/status-report.js';
import { unqueuedDeliveries } from '../../pipelines/observability/unqueued-attention.js';
import type { QueueSet } from '../../pipelines/queues.js';
import type { Runtime } from '../../pipelines/runtime.js';
import { recoverUnqueuedDeliveries } from '../../pipelines/sweep.js';
import type { WorkerSet } from '../../pipelines/workers.js';
import { outcomeWithin } from '../support/silent-proxy.js';
import { type DeliveriesWaiting, deliveriesWaiting, PIPELINE, type Stage } from './deliveries-waiting.js';

const OTHER = 'another-pipeline';

let fx: DeliveriesWaiting;
let config: Readonly<Config>;
let rt: Runtime;
let queues: QueueSet;
let deliver: Queue;
let workers: WorkerSet | undefined;

const owedToProvince = () => fx.owedToProvince();

/** The notes `licbridge status` would print about deliveries no job holds. */
async function unqueuedNotes(): Promise<string[]> {
  const stats = await Promise.all(queuesOf(queues).map((q) => queueStats(q)));
  const owed = [{ pipeline: PIPELINE, awaitingDelivery: { province: await owedToProvince() } }];
  const notes = await unqueuedDeliveries(config, await rt.ledger(), owed, stats, queues, 30_000);
  return notes.map((n) => n.message);
}

const loseJobs = () => fx.loseJobs();

const _start = (stages: Stage[]) => fx.start(stages);

beforeAll(async () => {
  fx = await deliveriesWaiting({ rows: 6, runId: 'first-run' });
  ({ config, rt, queues, deliver } = fx);
}, 60_000);

afterAll(async () => {
  await workers?.close();
  await fx?.close();
});

describe('recovery scoped to the pipeline', () => {
  it("another pipeline's sign and deliver jobs hold back neither the recovery nor the note", async () => {
    await loseJobs();
    expect(await owedToProvince()).toBeGreaterThan(0);
    // Another pipeline signs a long backfill, and its deliveries to the same target retry.
    await queues.sign.add('sign', { pipeline: OTHER, runId: 'other-run', versionIds: [1] });
    await deliver.add('deliver', {
      pipeline: OTHER,
      runId: 'other-run',
      target: 'province',
      versionIds: [1],
    });

    expect(await unqueuedNotes()).toEqual([expect.stringContaining(`pipeline ${PIPELINE}: `)]);
    const added = await recoverUnqueuedDeliveries(rt, queues, PIPELINE, 'r1', 'r1-recover');
    expect(added).toBeGreaterThan(0);
    const queued = (await deliver.getWaiting()).filter((j) => j.data.pipeline === PIPELINE);
    expect(queued.flatMap((j) => j.data.versionIds)).toHaveLength(await owedToProvince());
    // Now this pipeline's jobs hold its deliveries: no note, and a second recovery adds nothing.
    expect(await unqueuedNotes()).toEqual([]);
    expect(await recoverUnqueuedDeliveries(rt, queues, PIPELINE, 'r2', 'r2-recover')).toBe(0);
  });

  it("the pipeline's own unfinished sign job holds back the versions it holds, not the others", async () => {
    await loseJobs();
    const owed = await owedToProvince();
    await queues.sign.add('sign', { pipeline: OTHER, runId: 'other-run', versionIds: [1] });
    const own = await queues.sign.add(
      'sign',
      { pipeline: PIPELINE, runId: 'first-run', versionIds: [1] },
      { delay: 60_000 },
    );
    expect(await own.getState()).toBe('delayed');
    expect(await recoverUnqueuedDeliveries(rt, queues, PIPELINE, 'r3', 'r3-recover')).toBeGreaterThan(0);
    const queued = (await deliver.getWaiting()).flatMap((j) => j.data.versionIds as number[]);
    expect(queued).not.toContain(1);
    expect(queued).toHaveLength(owed - 1);
    await loseJobs();
  });

  it('status does not wait on a scan that does not answer: it says it could not tell', async () => {
    await loseJobs();
    // A deliver queue whose scan for the pipeline's jobs does not answer (a queue of 100,000
    // jobs took ~10 s to scan): another pipeline's job makes it one to scan.
    await deliver.add('deliver', {
      pipeline: OTHER,
      runId: 'other-run',
      target: 'province',
      versionIds: [1],
    });
    const { getRanges, getJobs } = deliver;
    deliver.getRanges = () => new Promise<string[]>(() => {});
    deliver.getJobs = () => new Promise<never>(() => {});
    try {
      // The scans never answer: a status that waited on them would still be waiting at 10 s. Its
      // bound is 3 s, not 300 ms: the queues' counts, without which the scans are not made, have it
      // too, and a pause of this process under a full suite past 300 ms left the counts unread.
      const status = await outcomeWithin(
        10_000,
        collectStatus(config, await rt.ledger(), queues, { probeSources: false, timeoutMs: 3000 }),
      );
      expect(status).not.toBe('hung');
      expect((status as StatusReport).attention).toContainEqual(
        expect.stringContaining(
          'queues: could not tell whether signed versions wait for a delivery no job holds (queues: jobs of each pipeline: no answer within 3000 ms)',
        ),
      );
    } finally {
      deliver.getRanges = getRanges;
      deliver.getJobs = getJobs;
      await loseJobs();
    }
  }, 20_000);
});
