/**
 * A scheduled extract job failing on its last attempt asks Redis whether this copy still holds the
 * job before it fails the run (extract-stale-copy-last-attempt.int.test.ts: a copy that lost the
 * job leaves the run to the copy that holds it). Redis answering that question with an error (OOM,
 * BUSY, NOREPLICAS: a reply, not a lost lock) said nothing of who holds the job: the copy still held
 * it, BullMQ failed the job for good, and the run, treated as another copy's, stayed `running` with
 * no error (a scheduled job carries an empty run id, so the failed listener told no one either)
 * until a later tick closed it `abandoned` with a generic reason, or for good with no later tick.
 */

import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadConfig } from '../../config/loader.js';
import type { Config } from '../../config/types.js';
import { bullmq } from '../../pipelines/bullmq.js';
import { createQueues, type QueueSet } from '../../pipelines/queues.js';
import { queueConnection } from '../../pipelines/redis.js';
import { SCHEDULED } from '../../pipelines/run-liveness.js';
import { Runtime } from '../../pipelines/runtime.js';
import { startWorkers, type WorkerSet } from '../../pipelines/workers.js';
import { createDemoWorkspace, type DemoWorkspace } from '../support/demo-workspace.js';
import { lineLogger } from '../support/log-lines.js';
import { until } from '../support/until.js';

const PIPELINE = 'food-business-licenses';
const READ_FAILED = 'test: the source read failed (fake)';

let ws: DemoWorkspace;
let config: Readonly<Config>;
let rt: Runtime;
let queues: QueueSet;
let workers: WorkerSet | undefined;
const logged = lineLogger('warn');

beforeAll(async () => {
  ws = await createDemoWorkspace({ rows: 20 });
  config = await loadConfig({ file: ws.configFile });
  rt = new Runtime(config, logged.logger);
  queues = createQueues(queueConnection(config.queue.redis), config.queue.prefix, ['province'], rt.logger);
}, 60_000);

afterAll(async () => {
  await workers?.close();
  await queues?.close();
  await rt?.close();
  await ws?.cleanup();
});

/**
 * Runs a scheduled extract job (an empty run id in its data) with one attempt whose first page fails to
 * commit; with `lockCheckFails`, the next lock check after that failure gets an error reply. Says
 * the run, the job's state and the `runFailed` events heard.
 */
async function failScheduledJob(lockCheckFails: boolean) {
  const ledger = await rt.ledger();
  const commitPage = ledger.commitPage;
  const extendLock = bullmq.Job.prototype.extendLock;
  let failed = false;
  ledger.commitPage = async () => {
    failed = true;
    throw new Error(READ_FAILED);
  };
  bullmq.Job.prototype.extendLock = async function (this: InstanceType<typeof bullmq.Job>, token, duration) {
    if (lockCheckFails && failed) {
      failed = false;
      throw new Error('OOM command not allowed when used memory > maxmemory (fake)');
    }
    return extendLock.call(this, token, duration);
  };
  const heard: [string, string][] = [];
  try {
    workers = startWorkers(rt, {
      connection: queueConnection(config.queue.redis),
      prefix: config.queue.prefix,
      queues,
      stages: ['extract'],
    });
    workers.events.on('runFailed', (runId: string, message: string) => heard.push([runId, message]));
    const jobId = `tick-${randomUUID()}`;
    // An empty run id, as pipelines/schedules.ts queues it.
    const job = await queues.extract.add(
      'extract',
      { pipeline: PIPELINE, runId: '', full: false },
      { jobId, attempts: 1 },
    );
    await until(async () => (await job.getState()) === 'failed', 40_000, { what: 'the job failed' });
    // Closing waits for the failed listener and for the job's processing to end.
    await workers.close();
    workers = undefined;
    const runId = `${SCHEDULED}${jobId}`;
    return { runId, run: await ledger.getRun(runId), state: await job.getState(), heard };
  } finally {
    bullmq.Job.prototype.extendLock = extendLock;
    ledger.commitPage = commitPage;
  }
}

describe('a scheduled extract job failing for good', () => {
  it('fails its run with the cause when Redis answers the lock check with an error', async () => {
    const { run, state } = await failScheduledJob(true);
    // This copy held the job all along: BullMQ failed it for good.
    expect(state).toBe('failed');
    expect({ state: run?.state, error: run?.error }).toEqual({
      state: 'failed',
      error: expect.stringContaining(READ_FAILED),
    });
  }, 60_000);

  it("tells the run's failure under the run named after the job", async () => {
    const { runId, run, heard } = await failScheduledJob(false);
    // Heard, a `licbridge worker` process records it in the ledger (workers/run-failures.ts): the
    // run fails with its cause even when the job's own give-up did not end it.
    expect(run?.state).toBe('failed');
    expect(heard).toEqual([[runId, expect.stringMatching(/^extract: .*test: the source read failed/)]]);
    // Its warning names that run too, not the job's empty run id.
    const warned = logged.lines.map((l) => JSON.parse(l)).filter((l) => l.msg === 'job: failed for good');
    expect(warned.at(-1)).toMatchObject({ queue: 'extract', runId });
  }, 60_000);
});
