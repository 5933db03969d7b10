/**
 * `licbridge status` names the deliveries no job holds (`delivery-unqueued`) while an extraction of
 * the pipeline runs. A queued extract job, the schedule's next tick, queues them again when it
 * starts; one already extracting does not, and each tick meanwhile is skipped (the pipeline is
 * held). The note said nothing while any extract job of the pipeline was unfinished: a long
 * extraction, or one hung on its source, hid the deliveries lost meanwhile for as long as it ran,
 * the schedule's next tick always queued beside it.
 */
import { randomUUID } from 'node:crypto';
import { Worker } from 'bullmq';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { collectStatus } from '../../pipelines/observability/status-report.js';
import { EXTRACT_QUEUE } from '../../pipelines/queues.js';
import { type DeliveriesWaiting, deliveriesWaiting, PIPELINE } from '../pipelines/deliveries-waiting.js';

let fx: DeliveriesWaiting;
let taker: Worker;

beforeAll(async () => {
  fx = await deliveriesWaiting({ rows: 4, runId: 'first-run' });
  // No processor: the extract job is taken by hand, and stays active as a long extraction's does.
  taker = new Worker(EXTRACT_QUEUE, null, {
    connection: { host: '127.0.0.1', port: 6379 },
    prefix: fx.config.queue.prefix,
    lockDuration: 600_000,
  });
}, 60_000);

afterAll(async () => {
  await taker?.close();
  await fx?.close();
});

async function unqueuedToProvince(): Promise<string[]> {
  const status = await collectStatus(fx.config, await fx.rt.ledger(), fx.queues, { probeSources: false });
  return status.attention.filter((a) => a.includes('owed to province and no job holds them'));
}

/** A scheduled tick's extract job of the pipeline (no run id), queued for later. */
async function nextTick(): Promise<void> {
  await fx.queues.extract.add(
    'extract',
    { pipeline: PIPELINE, runId: '', full: false },
    { jobId: `tick-${randomUUID()}`, delay: 3_600_000 },
  );
}

describe('status while an extraction of the pipeline runs', () => {
  it('says nothing while only the next tick is queued, which queues them again when it starts', async () => {
    await fx.loseJobs();
    expect(await fx.owedToProvince()).toBeGreaterThan(0);
    await nextTick();
    expect(await unqueuedToProvince()).toEqual([]);
  });

  it('names the deliveries lost while a tick extracts, the next tick queued beside it', async () => {
    await fx.queues.extract.add('extract', { pipeline: PIPELINE, runId: '', full: false }, { jobId: 'long' });
    const job = await taker.getNextJob(randomUUID(), { block: false });
    expect(await job?.getState()).toBe('active');

    const owed = await fx.owedToProvince();
    expect(await unqueuedToProvince()).toEqual([
      expect.stringContaining(`pipeline ${PIPELINE}: ${owed} signed version(s) owed to province`),
    ]);
    const [note] = await unqueuedToProvince();
    expect(note).toContain('an extraction of the pipeline is running and queues none of them');
  });
});
