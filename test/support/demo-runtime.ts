/**
 * The demo workspace opened as a process of licbridge opens it: its config, a runtime with its
 * ledger, and the queues on Redis (one delivery queue, `province`); and workers of its stages, started
 * when a test asks. Needs Redis.
 */
import { afterAll, beforeAll } from 'vitest';
import { loadConfig } from '../../config/loader.js';
import type { Config } from '../../config/types.js';
import { createLogger, type Logger } from '../../core/logger.js';
import type { Ledger } from '../../ledger/ledger.js';
import { createQueues, type QueueSet } from '../../pipelines/queues.js';
import { queueConnection } from '../../pipelines/redis.js';
import { Runtime } from '../../pipelines/runtime.js';
import { startWorkers, type WorkerSet } from '../../pipelines/workers.js';
import { createDemoWorkspace, type DemoWorkspace } from './demo-workspace.js';

export interface DemoRuntime {
  ws: DemoWorkspace;
  config: Readonly<Config>;
  rt: Runtime;
  /** The runtime's ledger. */
  ledger: Ledger;
  queues: QueueSet;
  /** Starts workers of `stages` on the queues; they are closed after the tests, before the queues. */
  start(stages: ('extract' | 'sign' | 'deliver')[]): WorkerSet;
}

/**
 * A demo workspace of `rows` rows and its runtime and queues (logging to `logger`, silent when not
 * given), opened before the tests of the calling file or `describe` block and closed after them.
 * Read the fields inside the tests and hooks, once `beforeAll` has run.
 */
export function demoRuntime(rows: number, logger: Logger = createLogger({ level: 'silent' })): DemoRuntime {
  const workers: WorkerSet[] = [];
  const t = {
    start(stages) {
      const set = startWorkers(t.rt, {
        connection: queueConnection(t.config.queue.redis),
        prefix: t.config.queue.prefix,
        queues: t.queues,
        stages,
      });
      workers.push(set);
      return set;
    },
  } as DemoRuntime;
  beforeAll(async () => {
    t.ws = await createDemoWorkspace({ rows });
    t.config = await loadConfig({ file: t.ws.configFile });
    t.rt = new Runtime(t.config, logger);
    t.ledger = await t.rt.ledger();
    t.queues = createQueues(
      queueConnection(t.config.queue.redis),
      t.config.queue.prefix,
      ['province'],
      logger,
    );
  }, 60_000);
  afterAll(async () => {
    for (const set of workers) await set.close();
    await t.queues?.close();
    await t.rt?.close();
    await t.ws?.cleanup();
  });
  return t;
}
