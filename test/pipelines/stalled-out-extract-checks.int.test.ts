/**
 * Extract jobs, full checks and lifecycle ticks that BullMQ fails as "stalled more than allowable
 * limit" (a worker that took the job died every time, or was starved past its lock): an extract
 * job is queued again and its run ends done; a full check is recorded as failed in the ledger; a
 * tick is queued again. The dying worker here is a real BullMQ worker that takes the job and never
 * renews its lock; the live workers fail it at the first stall (`maxStalledCount: 0`).
 */
import { randomUUID } from 'node:crypto';
import type { Job } from 'bullmq';
import { afterEach, describe, expect, it } from 'vitest';
import { enqueueExtract } from '../../pipelines/jobs.js';
import { EXTRACT_QUEUE, LIFECYCLE_QUEUE, RECONCILE_QUEUE } from '../../pipelines/queues.js';
import { failedCheckOf } from '../../pipelines/reconcile/failed-check.js';
import { settleStalledExtract } from '../../pipelines/workers/stalled-extract.js';
import { type StalledStages, stalledWorker } from '../support/stalled-worker.js';
import { until } from '../support/until.js';

const PIPELINE = 'food-business-licenses';

describe('jobs that stall out beyond sign and deliver', () => {
  const stalled = stalledWorker();
  const { takeAndDie } = stalled;

  afterEach(() => stalled.close());

  async function setUp() {
    return { ...(await stalled.setUp(20)), failures: [] as string[] };
  }

  /** Live workers of `stages`, each run failure they report pushed to `failures`. */
  function live(stages: StalledStages, failures: string[]) {
    const workers = stalled.live(stages);
    workers.events.on('runFailed', (_runId: string, message: string) => failures.push(message));
  }

  it('an extract job is queued again under a fresh id: its run ends done, each license delivered once', async () => {
    const { ws, rt, queues, failures } = await setUp();
    const ledger = await rt.ledger();
    const runId = randomUUID();
    await ledger.startRun({ runId, pipeline: PIPELINE, mode: 'full' });
    await enqueueExtract(queues, { pipeline: PIPELINE, runId, full: true });
    expect((await takeAndDie(EXTRACT_QUEUE))?.id).toBe(`extract_${runId}`);
    live(['extract', 'sign', 'deliver'], failures);

    await until(async () => failures.length > 0 || (await ledger.getRun(runId))?.state !== 'running');
    expect(failures).toEqual([]);
    const run = await ledger.getRun(runId);
    expect(run?.state).toBe('done');
    expect(run?.created).toBeGreaterThan(0);
    // The run ends done as its last delivery is accepted, which may come before BullMQ records the
    // extract job's own completion: waited for, and it must end completed, not failed.
    const requeued = `extract_${runId}-stalled-1`;
    await until(async () => (await queues.extract.getJobState(requeued)) !== 'active', 10_000);
    expect(await queues.extract.getJobState(requeued)).toBe('completed');
    const stats = ws.simulator.stats();
    expect(stats.accepted).toBe(run?.created);
    expect(stats.received).toBe(run?.created);
  }, 60_000);

  it('an extract job that stalls out again fails its run, naming the job; an ended run keeps its outcome', async () => {
    const { rt, queues } = await setUp();
    const ledger = await rt.ledger();
    const runId = randomUUID();
    await ledger.startRun({ runId, pipeline: PIPELINE, mode: 'full' });
    const again = (await queues.extract.add(
      'extract',
      { pipeline: PIPELINE, runId, full: true, stalledOut: 1 } as never,
      { jobId: `extract_${runId}-stalled-1`, delay: 60_000 },
    )) as Job;
    const outcome = await settleStalledExtract(rt, queues, EXTRACT_QUEUE, again);
    expect(outcome.kind).toBe('failed');
    expect(outcome.kind === 'failed' && outcome.message).toMatch(
      new RegExp(`^extract: job extract_${runId}-stalled-1 stalled out 2 times: `),
    );
    await ledger.finishRun(runId, { state: 'abandoned', error: 'taken over' });
    expect((await settleStalledExtract(rt, queues, EXTRACT_QUEUE, again)).kind).toBe('done');
  }, 30_000);

  it('a full check is recorded as failed in the ledger (the next tick checks again)', async () => {
    const { rt, queues, failures } = await setUp();
    const ledger = await rt.ledger();
    await queues.reconcile.add('reconcile', { pipeline: PIPELINE }, { jobId: 'check-1' });
    expect((await takeAndDie(RECONCILE_QUEUE))?.id).toBe('check-1');
    live(['reconcile'], failures);

    const failedChecks = async () =>
      (await ledger.getReports({ pipeline: PIPELINE, limit: 10 })).flatMap((r) => failedCheckOf(r) ?? []);
    await until(async () => (await failedChecks()).length > 0);
    const [check] = await failedChecks();
    expect(check?.final).toBe(true);
    expect(check?.message).toMatch(
      /^reconcile: job check-1 stalled out: .*the next scheduled check runs it again$/,
    );
    expect(failures).toEqual([]);
  }, 60_000);

  it('a lifecycle tick is queued again under a fresh id and done', async () => {
    const { queues, failures } = await setUp();
    await queues.lifecycle.add('lifecycle', {}, { jobId: 'tick-1' });
    expect((await takeAndDie(LIFECYCLE_QUEUE))?.id).toBe('tick-1');
    live(['lifecycle'], failures);

    await until(async () => (await queues.lifecycle.getJobState('tick-1-stalled-1')) === 'completed');
    expect(await queues.lifecycle.getJobState('tick-1')).toBe('failed');
    expect(failures).toEqual([]);
  }, 60_000);
});
