/**
 * A job a job scheduler made (a scheduled extract, a full check, the daily lifecycle tick) whose worker dies every
 * time it takes it. BullMQ never fails such a job for stalling while its scheduler exists
 * (`moveStalledJobsToWait` skips `maxStalledCount` for a job whose `rjk` names a live scheduler),
 * so it went back to wait after every stall and killed workers for ever. Past the limit other jobs
 * have, it is now failed as they are (`job stalled more than allowable limit`) and settled as they
 * are (workers/stalled-scheduled.ts): queued again once under a fresh id, its run kept. The
 * scheduler goes on: its next occurrence is a fresh job that runs.
 *
 * The dying workers here are real BullMQ workers that take the job and never renew their 300 ms
 * lock; a bare worker checks for stalls in between, as a live worker of another host would.
 */
import { randomUUID } from 'node:crypto';
import { type Job, type Queue, Worker } from 'bullmq';
import { afterEach, describe, expect, it } from 'vitest';
import { loadConfig } from '../../config/loader.js';
import { createLogger } from '../../core/logger.js';
import { createQueues, type QueueSet } from '../../pipelines/queues.js';
import { failedCheckOf } from '../../pipelines/reconcile/failed-check.js';
import { queueConnection } from '../../pipelines/redis.js';
import { Runtime } from '../../pipelines/runtime.js';
import {
  LIFECYCLE_SCHEDULER_ID,
  RECONCILE_SCHEDULER_PREFIX,
  SCHEDULER_PREFIX,
} from '../../pipelines/schedules.js';
import { startWorkers, type WorkerSet } from '../../pipelines/workers.js';
import { createDemoWorkspace, type DemoWorkspace } from '../support/demo-workspace.js';
import { until } from '../support/until.js';

const PIPELINE = 'food-business-licenses';
const quiet = createLogger({ level: 'silent' });
/** Stalls a job may have before it fails: the dying workers take it once more than that. */
const MAX_STALLED = 1;
/** An hour apart: the next occurrence stays delayed until the test promotes it. */
const EVERY_MS = 3_600_000;

/** The state `jobId` ends in: completed or failed. */
async function finished(queue: Queue, jobId: string): Promise<string> {
  let state = '';
  await until(async () => {
    state = await queue.getJobState(jobId);
    return state === 'completed' || state === 'failed';
  });
  return state;
}

describe('a scheduled job that stalls again and again', () => {
  let ws: DemoWorkspace | undefined;
  let rt: Runtime | undefined;
  let queues: QueueSet | undefined;
  let workers: WorkerSet | undefined;
  const bare: Worker[] = [];

  afterEach(async () => {
    await workers?.close();
    for (const w of bare.splice(0)) await w.close(true);
    await queues?.close();
    await rt?.close();
    await ws?.cleanup();
    ws = rt = queues = workers = undefined;
  });

  async function setUp(): Promise<{ connection: ReturnType<typeof queueConnection>; prefix: string }> {
    ws = await createDemoWorkspace({ rows: 20 });
    const config = await loadConfig({ file: ws.configFile, env: {} });
    rt = new Runtime(config, quiet);
    const connection = queueConnection(config.queue.redis);
    queues = createQueues(connection, ws.prefix, ['province'], quiet);
    return { connection, prefix: ws.prefix };
  }

  /**
   * Workers that take the next job of `queue` and die, `times` times over: a bare worker's stalled
   * check puts it back to wait after each. Returns the job's id and its stall count at the end.
   */
  async function killWorkers(
    setup: { connection: ReturnType<typeof queueConnection>; prefix: string },
    queue: Queue,
    times: number,
  ): Promise<{ jobId: string; stalled: number }> {
    const { connection, prefix } = setup;
    const checker = new Worker(queue.name, null, {
      connection,
      prefix,
      stalledInterval: 100,
      maxStalledCount: MAX_STALLED,
    });
    bare.push(checker);
    await checker.startStalledCheckTimer();
    let jobId: string | undefined;
    for (let i = 0; i < times; i++) {
      const dying = new Worker(queue.name, null, { connection, prefix, lockDuration: 300 });
      bare.push(dying);
      let job: Job | undefined;
      await until(async () => {
        job = await dying.getNextJob(randomUUID(), { block: false });
        return job !== undefined;
      });
      jobId ??= job?.id;
      expect(job?.id).toBe(jobId);
      const id = jobId ?? '';
      // Back to wait, and not failed: BullMQ spares a scheduler's job the stall limit.
      await until(async () => (await queue.getJobState(id)) === 'waiting');
    }
    await checker.close(true);
    const job = await queue.getJob(jobId ?? '');
    return { jobId: jobId ?? '', stalled: job?.stalledCounter ?? 0 };
  }

  function live(
    setup: { connection: ReturnType<typeof queueConnection>; prefix: string },
    stages: ('extract' | 'sign' | 'deliver' | 'reconcile' | 'lifecycle')[],
    failures: string[],
  ): void {
    workers = startWorkers(rt!, {
      connection: setup.connection,
      prefix: setup.prefix,
      queues: queues!,
      stages,
      lockDurationMs: 5000,
      stalledIntervalMs: 200,
      maxStalledCount: MAX_STALLED,
    });
    workers.events.on('runFailed', (_runId: string, message: string) => failures.push(message));
  }

  it('a scheduled extract job fails as stalled out and is queued again; the scheduler runs its next tick', async () => {
    const setup = await setUp();
    const ledger = await rt!.ledger();
    const schedulerId = `${SCHEDULER_PREFIX}${PIPELINE}`;
    await queues!.extract.upsertJobScheduler(
      schedulerId,
      { every: EVERY_MS },
      { name: 'extract', data: { pipeline: PIPELINE, runId: '', full: false } },
    );
    const { jobId, stalled } = await killWorkers(setup, queues!.extract as Queue, MAX_STALLED + 1);
    expect(stalled).toBe(MAX_STALLED + 1);
    const failures: string[] = [];
    live(setup, ['extract', 'sign', 'deliver'], failures);

    // Taken once more, it would kill a third worker: it fails instead, as any other job would.
    expect(await finished(queues!.extract as Queue, jobId)).toBe('failed');
    expect((await queues!.extract.getJob(jobId))?.failedReason).toBe('job stalled more than allowable limit');
    const copy = `${jobId}-stalled-1`;
    await until(async () => (await queues!.extract.getJobState(copy)) === 'completed');
    // The copy worked the run the scheduled job opened, to the end.
    const runId = `scheduled-${jobId}`;
    await until(async () => (await ledger.getRun(runId))?.state !== 'running');
    expect((await ledger.getRun(runId))?.state).toBe('done');
    expect(failures).toEqual([]);

    // The scheduler is still there, and its next occurrence is a fresh job that runs.
    expect(await queues!.extract.getJobScheduler(schedulerId)).toBeDefined();
    const [next] = (await queues!.extract.getDelayed()).filter((j) => j.repeatJobKey === schedulerId);
    expect(next?.id).not.toBe(jobId);
    expect(next?.stalledCounter).toBe(0);
    await next?.promote();
    await until(async () => (await queues!.extract.getJobState(next?.id ?? '')) === 'completed');
    expect((await ledger.getRun(`scheduled-${next?.id}`))?.state).toBe('done');
  }, 90_000);

  it('a scheduled full check fails as stalled out and is recorded as a failed check', async () => {
    const setup = await setUp();
    const ledger = await rt!.ledger();
    const schedulerId = `${RECONCILE_SCHEDULER_PREFIX}${PIPELINE}`;
    await queues!.reconcile.upsertJobScheduler(
      schedulerId,
      { every: EVERY_MS },
      { name: 'reconcile', data: { pipeline: PIPELINE } },
    );
    const { jobId } = await killWorkers(setup, queues!.reconcile as Queue, MAX_STALLED + 1);
    const failures: string[] = [];
    live(setup, ['reconcile'], failures);

    expect(await finished(queues!.reconcile as Queue, jobId)).toBe('failed');
    const failedChecks = async () =>
      (await ledger.getReports({ pipeline: PIPELINE, limit: 10 })).flatMap((r) => failedCheckOf(r) ?? []);
    await until(async () => (await failedChecks()).length > 0);
    expect((await failedChecks())[0]?.message).toMatch(
      // The job id's run of digits (the occurrence's time) is masked as any in a stored failure.
      new RegExp(
        `^reconcile: job repeat:${schedulerId}:\\S+ stalled out: .*the next scheduled check runs it again$`,
      ),
    );
    expect(await queues!.reconcile.getJobScheduler(schedulerId)).toBeDefined();
    expect(failures).toEqual([]);
  }, 90_000);

  it('a scheduled job failed as stalled out runs once more when retried by hand, as any stalled-out job does', async () => {
    const setup = await setUp();
    const ledger = await rt!.ledger();
    const schedulerId = `${RECONCILE_SCHEDULER_PREFIX}${PIPELINE}`;
    await queues!.reconcile.upsertJobScheduler(
      schedulerId,
      { every: EVERY_MS },
      { name: 'reconcile', data: { pipeline: PIPELINE } },
    );
    const { jobId } = await killWorkers(setup, queues!.reconcile as Queue, MAX_STALLED + 1);
    const failures: string[] = [];
    live(setup, ['reconcile'], failures);
    expect(await finished(queues!.reconcile as Queue, jobId)).toBe('failed');
    const reports = async () => ledger.getReports({ pipeline: PIPELINE, limit: 10 });
    await until(async () => (await reports()).length > 0);

    // The dashboard's retry: BullMQ clears a stalled-out job's failure when it fails it, so the job
    // runs once more; a scheduled job's stalls are no reason to refuse that run.
    await (await queues!.reconcile.getJob(jobId))?.retry();
    expect(await finished(queues!.reconcile as Queue, jobId)).toBe('completed');
    const all = await reports();
    expect(all.filter((r) => failedCheckOf(r) !== undefined)).toHaveLength(1);
    expect(all.filter((r) => failedCheckOf(r) === undefined)).toHaveLength(1);
  }, 90_000);

  it('a lifecycle tick fails as stalled out and is queued again under a fresh id', async () => {
    const setup = await setUp();
    await queues!.lifecycle.upsertJobScheduler(
      LIFECYCLE_SCHEDULER_ID,
      { every: EVERY_MS },
      { name: 'lifecycle', data: {} },
    );
    const { jobId } = await killWorkers(setup, queues!.lifecycle as Queue, MAX_STALLED + 1);
    const failures: string[] = [];
    live(setup, ['lifecycle'], failures);

    expect(await finished(queues!.lifecycle as Queue, jobId)).toBe('failed');
    await until(async () => (await queues!.lifecycle.getJobState(`${jobId}-stalled-1`)) === 'completed');
    expect(await queues!.lifecycle.getJobScheduler(LIFECYCLE_SCHEDULER_ID)).toBeDefined();
    expect(failures).toEqual([]);
  }, 90_000);
});
