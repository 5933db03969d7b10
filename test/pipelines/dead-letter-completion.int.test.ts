/**
 * A platform that refuses a whole backlog dead-letters one deliver job after another. Each such
 * job counted its own run and every other open run of the pipeline at once, O(backlog) a job and
 * O(backlog²) in all, while a job that delivered joins the run completion's periodic check. A
 * dead-lettering job now joins it too: a burst of them counts the runs a few times, and the run
 * still ends `done` once every delivery is final.
 */
import type { Queue } from 'bullmq';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Config } from '../../config/types.js';
import { ErrorCodes, LicbridgeError } from '../../core/errors.js';
import type { Ledger } from '../../ledger/ledger.js';
import { enqueueDeliver } from '../../pipelines/jobs.js';
import type { QueueSet } from '../../pipelines/queues.js';
import type { Runtime } from '../../pipelines/runtime.js';
import type { WorkerSet } from '../../pipelines/workers.js';
import { until } from '../support/until.js';
import { type DeliveriesWaiting, deliveriesWaiting, PIPELINE, type Stage } from './deliveries-waiting.js';

const JOBS = 30;

let fx: DeliveriesWaiting;
let config: Readonly<Config>;
let rt: Runtime;
let ledger: Ledger;
let queues: QueueSet;
let deliver: Queue;
let workers: WorkerSet | undefined;

const start = (stages: Stage[]) => fx.start(stages);

beforeAll(async () => {
  fx = await deliveriesWaiting({ rows: 6, runId: 'refused-run' });
  ({ config, rt, queues, deliver } = fx);
  ledger = await rt.ledger();
}, 60_000);

afterAll(async () => {
  await workers?.close();
  await fx?.close();
});

describe('deliver jobs dead-lettered one after another', () => {
  it('count the open runs a few times, not once a job, and the run ends done', async () => {
    const waiting = await deliver.getWaiting();
    const versionIds = waiting.flatMap((j) => j.data.versionIds);
    expect(versionIds.length).toBeGreaterThan(0);
    // More jobs for the same versions, as a recovery queues them: each is refused for good too.
    for (let i = 0; i < JOBS; i++) {
      await enqueueDeliver(
        config,
        queues,
        'province',
        { pipeline: PIPELINE, runId: 'refused-run', versionIds },
        { tag: `again-${i}` },
      );
    }
    // A platform that refuses everything for good (a schema it will never take); it asks nobody
    // to wait (no `waitLeft`, which the deliver worker reads before it sends).
    const refusing = new Proxy(
      {},
      {
        get: (_, key) =>
          key === 'then' || key === 'waitLeft'
            ? undefined
            : () => {
                throw new LicbridgeError(ErrorCodes.TARGET_REJECTED, 'platform refuses the item for good', {
                  retryable: false,
                });
              },
      },
    );
    (rt as unknown as { target: () => Promise<unknown> }).target = async () => refusing;
    let counted = 0;
    const runningRuns = ledger.runningRuns.bind(ledger);
    const completeRun = ledger.completeRun.bind(ledger);
    ledger.runningRuns = () => {
      counted++;
      return runningRuns();
    };
    ledger.completeRun = (...args) => {
      counted++;
      return completeRun(...args);
    };
    try {
      workers = start(['deliver']);
      await until(async () => {
        const c = await deliver.getJobCounts('waiting', 'delayed', 'active');
        return Object.values(c).every((n) => n === 0);
      });
      await workers.close();
      workers = undefined;
      // A check at most every second (RunCompletion), each counting the run and the pipeline's
      // others: not one of each for every one of the jobs (62 counts for the 30 jobs).
      expect(counted).toBeLessThan(JOBS);
      expect((await ledger.getRun('refused-run'))?.state).toBe('done');
    } finally {
      ledger.runningRuns = runningRuns;
      ledger.completeRun = completeRun;
    }
  }, 60_000);
});
