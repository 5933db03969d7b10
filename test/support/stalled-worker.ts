/**
 * Jobs that stall out: a demo workspace with its runtime and queues, a worker that takes a job and
 * dies (a real BullMQ worker that never renews its lock), and live workers that fail such a job at
 * its first stall (`maxStalledCount: 0`). Everything opened is closed by `close()`, which the
 * calling file runs after each test. Needs Redis.
 */
import { randomUUID } from 'node:crypto';
import { type Job, Worker } from 'bullmq';
import { expect } from 'vitest';
import { loadConfig } from '../../config/loader.js';
import type { Config } from '../../config/types.js';
import { createLogger } from '../../core/logger.js';
import { enqueueExtract } from '../../pipelines/jobs.js';
import { createQueues, type DeliverJobData, type QueueSet } from '../../pipelines/queues.js';
import { queueConnection } from '../../pipelines/redis.js';
import { Runtime } from '../../pipelines/runtime.js';
import { startWorkers, type WorkerSet, type WorkerSetOptions } from '../../pipelines/workers.js';
import { createDemoWorkspace, type DemoWorkspace } from './demo-workspace.js';
import { until } from './until.js';

/** The stages a worker set works. */
export type StalledStages = NonNullable<WorkerSetOptions['stages']>;

export interface StalledWorkerParts {
  ws: DemoWorkspace;
  rt: Runtime;
  queues: QueueSet;
  connection: ReturnType<typeof queueConnection>;
}

/** A deliver job queued again as its copy after one stall. */
export interface StalledCopy {
  /** The copy's job id, `<first id>-stalled-1`. */
  copyId: string;
  /** The first job's data (the copy's but for `stalledOut`). */
  data: DeliverJobData;
}

export interface StalledWorker {
  /**
   * Opens a demo workspace of `rows` rows, a silent runtime on its config (as `config` makes it of
   * the loaded one, when given) and its queues (one delivery queue, `province`).
   */
  setUp(
    rows: number,
    config?: (loaded: Readonly<Config>) => Promise<Readonly<Config>>,
  ): Promise<StalledWorkerParts>;
  /**
   * Starts a run of `pipeline` and lets real workers extract and sign it, until its deliver job
   * waits on `province`; closes those workers. Resolves to the run's id.
   */
  runToDeliver(pipeline: string): Promise<string>;
  /**
   * Removes the one deliver job waiting on `province` (expects no other) and queues it again as the
   * stall check does after its first stall: as `<id>-stalled-1`, with `stalledOut: 1`.
   */
  queueStalledCopy(): Promise<StalledCopy>;
  /** A worker that takes the next job of `queue` and dies: its 300 ms lock is never renewed. */
  takeAndDie(queue: string): Promise<Job | undefined>;
  /** Workers of `stages` with the default lock and stall checks. */
  start(stages: StalledStages): WorkerSet;
  /** Workers of `stages` that check for stalled jobs every 200 ms and fail them at the first stall. */
  live(stages: StalledStages): WorkerSet;
  /** Closes the workers started so far. */
  closeWorkers(): Promise<void>;
  /** Closes the dying workers, the workers, the queues, the runtime and the workspace. */
  close(): Promise<void>;
}

export function stalledWorker(): StalledWorker {
  const quiet = createLogger({ level: 'silent' });
  let parts: StalledWorkerParts | undefined;
  let dead: Worker[] = [];
  let workers: WorkerSet[] = [];

  function opened(): StalledWorkerParts {
    if (!parts) throw new Error('not set up');
    return parts;
  }

  function deliverQueue() {
    const deliver = opened().queues.deliver.get('province');
    if (!deliver) throw new Error('no deliver queue');
    return deliver;
  }

  function started(stages: StalledStages, stalls: Partial<WorkerSetOptions> = {}): WorkerSet {
    const { rt, queues, connection, ws } = opened();
    const set = startWorkers(rt, { connection, prefix: ws.prefix, queues, stages, ...stalls });
    workers.push(set);
    return set;
  }

  const t: StalledWorker = {
    async setUp(rows, config) {
      const ws = await createDemoWorkspace({ rows });
      parts = { ws } as StalledWorkerParts;
      const loaded = await loadConfig({ file: ws.configFile, env: {} });
      const used = config ? await config(loaded) : loaded;
      parts.rt = new Runtime(used, quiet);
      parts.connection = queueConnection(used.queue.redis);
      parts.queues = createQueues(parts.connection, ws.prefix, ['province'], quiet);
      return parts;
    },
    async runToDeliver(pipeline) {
      const { rt, queues } = opened();
      const deliver = deliverQueue();
      const ledger = await rt.ledger();
      const runId = randomUUID();
      await ledger.startRun({ runId, pipeline, mode: 'full' });
      await enqueueExtract(queues, { pipeline, runId, full: true });
      started(['extract', 'sign']);
      await until(async () => {
        if (!(await ledger.getRun(runId))?.extractedAt) return false;
        const signing = await queues.sign.getJobCounts('waiting', 'active', 'delayed', 'prioritized');
        return Object.values(signing).every((n) => n === 0) && (await deliver.getWaitingCount()) > 0;
      });
      await t.closeWorkers();
      return runId;
    },
    async queueStalledCopy() {
      const deliver = deliverQueue();
      const [first, ...others] = (await deliver.getJobs(['waiting'])) as Job<DeliverJobData>[];
      expect(others).toEqual([]);
      if (!first?.id) throw new Error('no deliver job');
      await first.remove();
      const copyId = `${first.id}-stalled-1`;
      await deliver.add('deliver', { ...first.data, stalledOut: 1 } as DeliverJobData, { jobId: copyId });
      return { copyId, data: first.data };
    },
    async takeAndDie(queue) {
      const { connection, ws } = opened();
      const worker = new Worker(queue, null, { connection, prefix: ws.prefix, lockDuration: 300 });
      dead.push(worker);
      return worker.getNextJob(randomUUID());
    },
    start(stages) {
      return started(stages);
    },
    live(stages) {
      return started(stages, { lockDurationMs: 5000, stalledIntervalMs: 200, maxStalledCount: 0 });
    },
    async closeWorkers() {
      for (const set of workers) await set.close();
      workers = [];
    },
    async close() {
      for (const worker of dead) await worker.close();
      dead = [];
      await t.closeWorkers();
      await parts?.queues?.close();
      await parts?.rt?.close();
      await parts?.ws.cleanup();
      parts = undefined;
    },
  };
  return t;
}
