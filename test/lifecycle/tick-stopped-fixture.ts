/**
 * The set-up of the tests of a scheduled tick stopped by worker shutdowns (tick-job-stopped-again,
 * tick-job-stopped-limit-lowered): a runtime whose log lines are kept, its queues under the test's
 * prefix, and a lifecycle worker that is shutting down taking the tick again and again.
 */
import { Writable } from 'node:stream';
import type { Config } from '../../config/types.js';
import { createLogger } from '../../core/logger.js';
import { createQueues, type LifecycleJobData, type QueueSet } from '../../pipelines/queues.js';
import { queueConnection } from '../../pipelines/redis.js';
import { Runtime } from '../../pipelines/runtime.js';
import type { WorkerBase } from '../../pipelines/workers/base.js';
import { lifecycleWorker } from '../../pipelines/workers/check-workers.js';

export interface StoppedTickRig {
  rt: Runtime;
  queues: QueueSet;
  /** Workers' options; `maxStalledCount` 3. */
  base: WorkerBase;
  /** The runtime's log, a JSON line each. */
  logLines: string[];
}

/** A runtime over `config` with its queues under `prefix`, logging at info into `logLines`. */
export function stoppedTickRig(config: Readonly<Config>, prefix: string): StoppedTickRig {
  const prefixed = { ...config, queue: { ...config.queue, prefix } } as Readonly<Config>;
  const connection = queueConnection(prefixed.queue.redis);
  const queues = createQueues(connection, prefixed.queue.prefix, []);
  const logLines: string[] = [];
  const sink = new Writable({
    write(chunk, _enc, done) {
      logLines.push(String(chunk));
      done();
    },
  });
  const rt = new Runtime(prefixed, createLogger({ level: 'info', destination: sink }));
  const base = {
    connection,
    prefix: prefixed.queue.prefix,
    lockDuration: 5000,
    stalledInterval: 5000,
    maxStalledCount: 3,
  };
  return { rt, queues, base, logLines };
}

/**
 * Queues tick `tick-1` with `data` and lets a lifecycle worker that is shutting down (its stop
 * aborted before the tick starts) take it `times` times, then closes that worker.
 */
export async function tickTakenByShutdowns(
  { rt, queues, base }: StoppedTickRig,
  data: LifecycleJobData,
  times: number,
): Promise<void> {
  const stop = new AbortController();
  stop.abort('worker shutdown');
  const worker = lifecycleWorker(rt, { base, queues }, stop.signal);
  worker.on('error', () => undefined);
  let taken = 0;
  const takenAll = new Promise<void>((resolve) => {
    worker.on('active', () => {
      taken += 1;
      if (taken === times) resolve();
    });
  });
  try {
    await queues.lifecycle.add('lifecycle', data, { jobId: 'tick-1' });
    await takenAll;
  } finally {
    await worker.close();
  }
}
