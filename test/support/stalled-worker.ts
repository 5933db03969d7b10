/**
 * Jobs that stall out: a demo workspace with its runtime and queues, a worker that takes a job and
 * dies (a real BullMQ worker that never renews its lock), and live workers that fail such a job at
 * its first stall (`maxStalledCount: 0`). Everything opened is closed by `close()`, which the
 * calling file runs after each test. Needs Redis.
 */
import { randomUUID } from 'node:crypto';
import { type Job, Worker } from 'bullmq';
import { loadConfig } from '../../config/loader.js';
import type { Config } from '../../config/types.js';
import { createLogger } from '../../core/logger.js';
import { createQueues, type QueueSet } from '../../pipelines/queues.js';
import { queueConnection } from '../../pipelines/redis.js';
import { Runtime } from '../../pipelines/runtime.js';
import { startWorkers, type WorkerSet, type WorkerSetOptions } from '../../pipelines/workers.js';
import { createDemoWorkspace, type DemoWorkspace } from './demo-workspace.js';

/** The stages a worker set works. */
export type StalledStages = NonNullable<WorkerSetOptions['stages']>;

export interface StalledWorkerParts {
  ws: DemoWorkspace;
  rt: Runtime;
  queues: QueueSet;
  connection: ReturnType<typeof queueConnection>;
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
