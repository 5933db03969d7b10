/**
 * The scheduled tick on a day nothing is due — most days. Its run (mode `lifecycle`) owes
 * nothing, so no sign or deliver job ever carries it and nothing completed it: it stayed
 * `running` for good, and `licbridge status` showed the pipeline's last run as still delivering.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadConfig } from '../../config/loader.js';
import type { Config } from '../../config/types.js';
import { createLogger } from '../../core/logger.js';
import { lifecycleJob } from '../../pipelines/lifecycle/tick-job.js';
import { createQueues, type QueueSet } from '../../pipelines/queues.js';
import { queueConnection } from '../../pipelines/redis.js';
import { runPipelines } from '../../pipelines/run-pipelines.js';
import { Runtime } from '../../pipelines/runtime.js';
import { createDemoWorkspace, type DemoWorkspace } from '../support/demo-workspace.js';

const logger = createLogger({ level: 'silent' });
const PIPELINE = 'food-business-licenses';
const DAY = '2022-06-01';

describe('a scheduled tick that expires nothing', () => {
  let ws: DemoWorkspace;
  let config: Readonly<Config>;
  let queues: QueueSet;
  const savedToday = process.env.LICBRIDGE_TODAY;

  beforeAll(async () => {
    ws = await createDemoWorkspace({ rows: 30, seed: 11 });
    config = await loadConfig({ file: ws.configFile, env: {} });
    queues = createQueues(queueConnection(config.queue.redis), config.queue.prefix, ['province']);
    // Read on the same day: what passed its date was mapped as expired already.
    process.env.LICBRIDGE_TODAY = DAY;
    const [s] = await runPipelines(config, { pipelines: [PIPELINE], full: false, logger });
    expect(s?.state).toBe('done');
  }, 120_000);

  afterAll(async () => {
    if (savedToday === undefined) delete process.env.LICBRIDGE_TODAY;
    else process.env.LICBRIDGE_TODAY = savedToday;
    await queues?.close();
    await ws?.cleanup();
  });

  it('finishes its run', async () => {
    const rt = new Runtime(config, logger);
    try {
      const result = await lifecycleJob(rt, queues, 'scheduled-1');
      expect(result).toEqual({ today: DAY, expired: { [PIPELINE]: 0 } });
      const ledger = await rt.ledger();
      const runId = (await ledger.lifecycleWatermark(PIPELINE))?.runId ?? '';
      const run = await ledger.getRun(runId);
      expect(run).toMatchObject({ mode: 'lifecycle', state: 'done' });
      expect((await ledger.lastRun(PIPELINE))?.state).toBe('done');
    } finally {
      await rt.close();
    }
  }, 60_000);
});
