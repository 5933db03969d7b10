/**
 * The sweep of `licbridge run` queues a run's extraction again when its extract job is gone (lost
 * with Redis, removed). A job waiting out a retry's backoff (a source unreachable for a while:
 * 8 s, 16 s, 32 s between attempts) is delayed, not gone, and nothing moves meanwhile: each sweep
 * queued another copy of the extraction beside it, every 3 s, each with its own attempts against
 * the source that was down, and all of them reading it at once once it was back. A sweep now
 * queues the extraction only when no unfinished extract job works the run.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadConfig } from '../../config/loader.js';
import type { Config } from '../../config/types.js';
import { createLogger } from '../../core/logger.js';
import { createQueues, type QueueSet } from '../../pipelines/queues.js';
import { queueConnection } from '../../pipelines/redis.js';
import { sweep } from '../../pipelines/run-recovery.js';
import { Runtime } from '../../pipelines/runtime.js';
import { createDemoWorkspace, type DemoWorkspace, obliterate } from '../support/demo-workspace.js';

const PIPELINE = 'food-business-licenses';
const RUN = 'sweep-extract-backing-off';

let ws: DemoWorkspace;
let config: Readonly<Config>;
let queues: QueueSet;
let rt: Runtime;
const logger = createLogger({ level: 'silent' });

beforeAll(async () => {
  ws = await createDemoWorkspace({ rows: 3 });
  config = await loadConfig({ file: ws.configFile });
  queues = createQueues(queueConnection(config.queue.redis), config.queue.prefix, ['province'], logger);
  rt = new Runtime(config, logger);
}, 60_000);

afterAll(async () => {
  await rt?.close();
  await queues?.close();
  await obliterate(ws.prefix);
  await ws?.cleanup();
});

describe('a sweep while the run extract job backs off', () => {
  it('queues no second extraction, and queues one once the job is gone', async () => {
    const ledger = await rt.ledger();
    await ledger.startRun({ runId: RUN, pipeline: PIPELINE, mode: 'incremental' });
    // The run's extract job, waiting out its backoff.
    const job = await queues.extract.add(
      'extract',
      { pipeline: PIPELINE, runId: RUN, full: false },
      { jobId: `extract_${RUN}`, delay: 60_000 },
    );
    const runs = [{ pipeline: PIPELINE, runId: RUN }];
    expect(await sweep(rt, ledger, queues, runs, 'sweep1')).toBe(0);
    expect(await sweep(rt, ledger, queues, runs, 'sweep2')).toBe(0);
    expect((await queues.extract.getJobs(['waiting', 'delayed', 'active'])).map((j) => j.id)).toEqual([
      `extract_${RUN}`,
    ]);

    // Gone: the next sweep queues the extraction again, once.
    await job.remove();
    expect(await sweep(rt, ledger, queues, runs, 'sweep3')).toBe(1);
    expect((await queues.extract.getJobs(['waiting', 'delayed', 'active'])).map((j) => j.id)).toEqual([
      `extract_${RUN}-sweep3`,
    ]);
  }, 60_000);
});
