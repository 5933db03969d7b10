/**
 * A run whose extract job fails for good keeps the error in the ledger's runs table, which
 * `licbridge status` and the run summary print. A driver's words quote rows — a holder's ID
 * number, phone — and a connection's secret: the stored error is masked and scrubbed as the job's
 * failedReason in Redis is, and still names the error's code.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadConfig } from '../../config/loader.js';
import type { Config } from '../../config/types.js';
import { createLogger } from '../../core/logger.js';
import { registerSecret } from '../../core/scrub.js';
import { createQueues, type QueueSet } from '../../pipelines/queues.js';
import { queueConnection } from '../../pipelines/redis.js';
import { type PipelineParts, Runtime } from '../../pipelines/runtime.js';
import { startWorkers, type WorkerSet } from '../../pipelines/workers.js';
import { createDemoWorkspace, type DemoWorkspace } from '../support/demo-workspace.js';

const PIPELINE = 'food-business-licenses';
const RESIDENT_ID = '11010519491231002X';
const MOBILE = '13800138000';
const SECRET = 'pw-Hk3vQ9mZr7TnB2xW';

/** A Runtime whose pipelines cannot be opened, as a source that fails reading. */
class FailingRuntime extends Runtime {
  override pipeline(): Promise<PipelineParts> {
    return Promise.reject(
      Object.assign(
        new Error(`Conversion failed for '${RESIDENT_ID}' (phone ${MOBILE}) via mssql://lb:${SECRET}@db`),
        { code: 'EREQUEST' },
      ),
    );
  }
}

let ws: DemoWorkspace;
let config: Readonly<Config>;
let rt: Runtime;
let queues: QueueSet;
let workers: WorkerSet;

beforeAll(async () => {
  ws = await createDemoWorkspace({ rows: 2 });
  config = await loadConfig({ file: ws.configFile });
  registerSecret(SECRET, 'env:TEST_FAILED_RUN_PW');
  rt = new FailingRuntime(config, createLogger({ level: 'silent' }));
  queues = createQueues(queueConnection(config.queue.redis), config.queue.prefix, ['province'], rt.logger);
  workers = startWorkers(rt, {
    connection: queueConnection(config.queue.redis),
    prefix: config.queue.prefix,
    queues,
    stages: ['extract'],
  });
});

afterAll(async () => {
  await workers?.close();
  await queues?.close();
  await rt?.close();
  await ws?.cleanup();
});

describe('a run failed for good', () => {
  it('keeps its error masked and scrubbed in the ledger, with the code', async () => {
    const ledger = await rt.ledger();
    await ledger.startRun({ runId: 'failing-run', pipeline: PIPELINE, mode: 'incremental' });
    const job = await queues.extract.add(
      'extract',
      { pipeline: PIPELINE, runId: 'failing-run', full: false },
      { attempts: 1 },
    );
    while (!['completed', 'failed'].includes(await job.getState()))
      await new Promise((r) => setTimeout(r, 50));
    const run = await ledger.getRun('failing-run');
    expect(run?.state).toBe('failed');
    const error = run?.error ?? '';
    expect(error).toContain('EREQUEST');
    for (const value of [RESIDENT_ID, MOBILE, SECRET, RESIDENT_ID.slice(0, 10)])
      expect(error).not.toContain(value);
  }, 60_000);
});
