/**
 * A run whose extract job fails for good keeps the error in the ledger, which `licbridge status`
 * and the run summary print, and Redis keeps the job's failed reason and stack. A driver's words
 * there were made safe by a masking of their own (workers/base.ts), which kept what a failed
 * check's message and `status` hide (test/support/driver-error-cases.ts): a URL's password, a
 * connection string's password, a quoted value cut by a line break, an ID number's and a credit
 * code's first digits, a passport number's last four. They are shown now as those show them,
 * the error's name and its code kept around them; a login the driver names is kept, as `status`
 * keeps it.
 */
import type { Job } from 'bullmq';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadConfig } from '../../config/loader.js';
import type { Config } from '../../config/types.js';
import { isLicbridgeError } from '../../core/errors.js';
import { createLogger } from '../../core/logger.js';
import { createQueues, type QueueSet } from '../../pipelines/queues.js';
import { queueConnection } from '../../pipelines/redis.js';
import { type PipelineParts, Runtime } from '../../pipelines/runtime.js';
import { startWorkers, type WorkerSet } from '../../pipelines/workers.js';
import { createDemoWorkspace, type DemoWorkspace } from '../support/demo-workspace.js';
import { driverErrorCases, loginErrorCases } from '../support/driver-error-cases.js';

const PIPELINE = 'food-business-licenses';

/** A Runtime whose pipelines cannot be opened, as a source that fails reading: with `failing`. */
class FailingRuntime extends Runtime {
  failing: unknown = new Error('not set');
  override pipeline(): Promise<PipelineParts> {
    return Promise.reject(this.failing);
  }
}

/** The error as its reason names it: a licbridge error with its code after, another with its name before. */
function named(error: unknown, shown: string): string {
  if (isLicbridgeError(error)) return `${shown} [${error.code}]`;
  return error instanceof Error ? `${error.name}: ${shown}` : `${typeof error}: ${shown}`;
}

let ws: DemoWorkspace;
let config: Readonly<Config>;
let rt: FailingRuntime;
let queues: QueueSet;
let workers: WorkerSet;

beforeAll(async () => {
  ws = await createDemoWorkspace({ rows: 2 });
  config = await loadConfig({ file: ws.configFile });
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

/** The run's stored error and the job as Redis keeps it, once `error` failed the run's extract job. */
async function failedWith(runId: string, error: unknown): Promise<{ stored: string; job: Job }> {
  rt.failing = error;
  const ledger = await rt.ledger();
  await ledger.startRun({ runId, pipeline: PIPELINE, mode: 'incremental' });
  const added = await queues.extract.add(
    'extract',
    { pipeline: PIPELINE, runId, full: false },
    { attempts: 1 },
  );
  while (!['completed', 'failed'].includes(await added.getState()))
    await new Promise((r) => setTimeout(r, 20));
  const job = (await queues.extract.getJob(added.id as string)) as Job;
  return { stored: (await ledger.getRun(runId))?.error ?? '', job };
}

describe('a run failed for good by a driver error', () => {
  driverErrorCases().forEach((c, i) => {
    it(c.name, async () => {
      const { stored, job } = await failedWith(`driver-${i}`, c.error);
      expect(stored).toBe(named(c.error, c.shown));
      expect(job.failedReason).toBe(stored);
      for (const leak of c.leaks) {
        expect(stored).not.toContain(leak);
        expect((job.stacktrace ?? []).join('\n')).not.toContain(leak);
      }
    }, 30_000);
  });

  loginErrorCases().forEach((c, i) => {
    it(`keeps the login: ${c.name}`, async () => {
      const { stored } = await failedWith(`login-${i}`, c.error);
      expect(stored).toBe(named(c.error, c.shown));
    }, 30_000);
  });
});
