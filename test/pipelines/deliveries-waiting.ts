/**
 * A demo workspace whose run was extracted and signed by workers without a deliver worker: its
 * deliver jobs wait in the `province` queue, as the recovery and dead-letter tests start from.
 */
import { readFile, writeFile } from 'node:fs/promises';
import type { Queue } from 'bullmq';
import { afterAll, beforeAll } from 'vitest';
import type { TargetAdapter } from '../../adapters/platforms/target.js';
import { loadConfig } from '../../config/loader.js';
import { sealIdOf } from '../../config/seal-id.js';
import type { Config } from '../../config/types.js';
import { createLogger, type Logger } from '../../core/logger.js';
import type { Ledger } from '../../ledger/ledger.js';
import { enqueueExtract } from '../../pipelines/jobs.js';
import { createQueues, type QueueSet } from '../../pipelines/queues.js';
import { queueConnection } from '../../pipelines/redis.js';
import { Runtime } from '../../pipelines/runtime.js';
import { startWorkers, type WorkerSet } from '../../pipelines/workers.js';
import { createDemoWorkspace, type DemoWorkspace } from '../support/demo-workspace.js';
import { until } from '../support/until.js';

export const PIPELINE = 'food-business-licenses';

export type Stage = 'extract' | 'sign' | 'deliver';

export interface DeliveriesWaiting {
  ws: DemoWorkspace;
  config: Readonly<Config>;
  rt: Runtime;
  queues: QueueSet;
  /** The `province` deliver queue. */
  deliver: Queue;
  /** How many of the pipeline's versions the ledger says are owed to `province`. */
  owedToProvince(): Promise<number>;
  /** Every job gone from the sign and deliver queues, as with a Redis restarted without persistence. */
  loseJobs(): Promise<void>;
  /** Workers of `stages` over the workspace's queues; the caller closes them. */
  start(stages: Stage[]): WorkerSet;
  /**
   * Deliver workers, started and run until each of the jobs `ids` has finished (at most `ms`), then
   * closed.
   */
  deliverUntilFinished(ids: readonly (string | undefined)[], ms: number): Promise<void>;
  /**
   * The waiting deliver jobs taken off the queue, their version ids returned (at least one), and
   * `province` answered by `platform` from now on: a test then queues the job it means to watch.
   */
  takeOver(platform: TargetAdapter): Promise<number[]>;
  /** Closes the queues and the runtime and removes the workspace. */
  close(): Promise<void>;
}

/**
 * A demo workspace of `rows` rows whose run `runId` (full) extract and sign workers have extracted
 * and signed; they are closed once the sign queue is idle and deliver jobs wait. `logger` is the
 * runtime's (silent unless given); `ledgerUrl` the ledger in place of the workspace's SQLite file.
 */
export async function deliveriesWaiting(options: {
  rows: number;
  runId: string;
  logger?: Logger;
  ledgerUrl?: string;
}): Promise<DeliveriesWaiting> {
  const ws = await createDemoWorkspace({ rows: options.rows });
  if (options.ledgerUrl !== undefined) {
    const yaml = await readFile(ws.configFile, 'utf8');
    await writeFile(ws.configFile, yaml.replace('sqlite://./data/ledger.db', options.ledgerUrl));
  }
  const config = await loadConfig({ file: ws.configFile });
  const rt = new Runtime(config, options.logger ?? createLogger({ level: 'silent' }));
  const queues = createQueues(
    queueConnection(config.queue.redis),
    config.queue.prefix,
    ['province'],
    rt.logger,
  );
  const deliver = queues.deliver.get('province') as Queue;
  const start = (stages: Stage[]) =>
    startWorkers(rt, {
      connection: queueConnection(config.queue.redis),
      prefix: config.queue.prefix,
      queues,
      stages,
    });
  const made: DeliveriesWaiting = {
    ws,
    config,
    rt,
    queues,
    deliver,
    start,
    async deliverUntilFinished(ids, ms) {
      const workers = start(['deliver']);
      try {
        await until(async () => {
          for (const id of ids)
            if ((await deliver.getJob(id as string))?.finishedOn === undefined) return false;
          return true;
        }, ms);
      } finally {
        await workers.close();
      }
    },
    async owedToProvince() {
      const ledger = await rt.ledger();
      const p = rt.pipelineConfig(PIPELINE);
      return (
        (await ledger.pipelineBacklog(PIPELINE, sealIdOf(config, p), p.targets)).undelivered.province ?? 0
      );
    },
    async takeOver(platform) {
      const queued = await deliver.getWaiting();
      const versionIds = queued.flatMap((j) => j.data.versionIds as number[]);
      if (versionIds.length === 0) throw new Error('deliveries waiting: no deliver job queued');
      for (const j of queued) await j.remove();
      (rt as unknown as { target: () => Promise<TargetAdapter> }).target = async () => platform;
      return versionIds;
    },
    async loseJobs() {
      await queues.sign.drain(true);
      await deliver.drain(true);
    },
    async close() {
      await queues.close();
      await rt.close();
      await ws.cleanup();
    },
  };
  const workers = start(['extract', 'sign']);
  try {
    await enqueueExtract(queues, { pipeline: PIPELINE, runId: options.runId, full: true });
    const ledger = await rt.ledger();
    await until(async () => Boolean((await ledger.getRun(options.runId))?.extractedAt));
    await until(
      async () =>
        (await deliver.getWaitingCount()) > 0 &&
        (await queues.sign.getWaitingCount()) === 0 &&
        (await queues.sign.getActiveCount()) === 0,
    );
  } catch (e) {
    await workers.close();
    await made.close();
    throw e;
  }
  await workers.close();
  return made;
}

/** A `deliveriesWaiting` of a test file, and its runtime's ledger. */
export interface DeliveriesWaitingForFile {
  readonly fx: DeliveriesWaiting;
  readonly ledger: Ledger;
}

/**
 * `deliveriesWaiting(options)` made before the calling file's tests and closed after them; its
 * fields are read in a test, once made.
 */
export function deliveriesWaitingForFile(
  options: Parameters<typeof deliveriesWaiting>[0],
): DeliveriesWaitingForFile {
  let fx: DeliveriesWaiting | undefined;
  let ledger: Ledger | undefined;
  beforeAll(async () => {
    fx = await deliveriesWaiting(options);
    ledger = await fx.rt.ledger();
  }, 60_000);
  afterAll(async () => {
    await fx?.close();
  });
  const made = <T>(part: T | undefined): T => {
    if (part === undefined) throw new Error('deliveries waiting: not made yet');
    return part;
  };
  return {
    get fx() {
      return made(fx);
    },
    get ledger() {
      return made(ledger);
    },
  };
}
