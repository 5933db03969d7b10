/**
 * `licbridge status` on a scheduled run whose extract job is gone (removed, lost with Redis,
 * failed for good by stalling): it showed `extracting` for good, though nothing extracts it. It is
 * now shown `abandoned`, with a note saying its extract job is gone; a scheduled run whose extract
 * job still waits (a retry's backoff) is still `extracting`.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadConfig } from '../../config/loader.js';
import type { Config } from '../../config/types.js';
import { createLogger } from '../../core/logger.js';
import type { Ledger } from '../../ledger/ledger.js';
import { collectStatus } from '../../pipelines/observability/status-report.js';
import { createQueues, type QueueSet } from '../../pipelines/queues.js';
import { queueConnection } from '../../pipelines/redis.js';
import { Runtime } from '../../pipelines/runtime.js';
import { createDemoWorkspace, type DemoWorkspace } from '../support/demo-workspace.js';

const PIPELINE = 'food-business-licenses';

let ws: DemoWorkspace;
let config: Readonly<Config>;
let rt: Runtime;
let ledger: Ledger;
let queues: QueueSet;

beforeAll(async () => {
  ws = await createDemoWorkspace({ rows: 3 });
  config = await loadConfig({ file: ws.configFile });
  rt = new Runtime(config, createLogger({ level: 'silent' }));
  ledger = await rt.ledger();
  queues = createQueues(queueConnection(config.queue.redis), config.queue.prefix, ['province'], rt.logger);
}, 60_000);

afterAll(async () => {
  await queues?.close();
  await rt?.close();
  await ws?.cleanup();
});

const lastRun = async () => {
  const status = await collectStatus(config, ledger, queues, { probeSources: false });
  return { run: status.pipelines.find((p) => p.pipeline === PIPELINE)?.lastRun, notes: status.attention };
};

describe('status of a scheduled run and its extract job', () => {
  it('extracting while its job waits; abandoned, saying why, once the job is gone', async () => {
    await ledger.startRun({ runId: 'scheduled-tick-7', pipeline: PIPELINE, mode: 'incremental' });
    const job = await queues.extract.add(
      'extract',
      { pipeline: PIPELINE, runId: '', full: false },
      { jobId: 'tick-7', delay: 86_400_000 },
    );
    const waiting = await lastRun();
    expect(waiting.run?.runId).toBe('scheduled-tick-7');
    expect(waiting.run?.stage).toBe('extracting');
    expect(waiting.notes.join('\n')).not.toContain('abandoned');

    await job.remove();
    const gone = await lastRun();
    expect(gone.run?.stage).toBe('abandoned');
    expect(gone.notes).toContainEqual(
      expect.stringContaining(
        `run scheduled-tick-7 was abandoned: its extract job is gone before the extraction was over`,
      ),
    );
  });
});
