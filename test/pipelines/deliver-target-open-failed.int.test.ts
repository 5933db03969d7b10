/**
 * A deliver job whose target cannot open (its config refused where only opening tells: a front
 * database table without the columns licbridge writes, a `tls` setting unfit for the connection)
 * fails for good at once, on its first attempt, naming the target and what was wrong: the failure
 * its run takes (`runFailed`, then the ledger, workers/run-failures.ts). Its deliveries are no
 * dead letters: nothing is wrong with any of them, and each would need a replay once the config is
 * corrected; they stay `pending`, owed, and the pipeline's next run (or a sweep) queues them again,
 * and they are delivered once the target opens. The target is opened outside the stage's try for
 * that (deliver-worker.ts); opened inside it, a job giving up dead-lettered every delivery it held.
 */
import type { Queue } from 'bullmq';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { DeliveryItem, DeliveryOutcome, TargetAdapter } from '../../adapters/platforms/target.js';
import { ErrorCodes, LicbridgeError } from '../../core/errors.js';
import type { Ledger } from '../../ledger/ledger.js';
import { DELIVER_BACKOFF } from '../../pipelines/delivery-policy.js';
import type { WorkerSet } from '../../pipelines/workers.js';
import { until } from '../support/until.js';
import { type DeliveriesWaiting, deliveriesWaiting, PIPELINE } from './deliveries-waiting.js';

const RUN = 'target-open-run';

let fx: DeliveriesWaiting;
let ledger: Ledger;
let deliver: Queue;
let workers: WorkerSet | undefined;

const province: TargetAdapter = {
  name: 'province',
  kind: 'rest-json',
  deliver: async (items: readonly DeliveryItem[]): Promise<DeliveryOutcome[]> =>
    items.map((i) => ({ key: i.key, state: 'accepted', platformId: `P-${i.key}` })),
  close: async () => undefined,
};

beforeAll(async () => {
  fx = await deliveriesWaiting({ rows: 3, runId: RUN });
  deliver = fx.deliver;
  ledger = await fx.rt.ledger();
}, 60_000);

afterAll(async () => {
  await workers?.close();
  await fx?.close();
});

const idle = () =>
  until(async () => {
    const counts = await deliver.getJobCounts('waiting', 'delayed', 'active', 'prioritized');
    return Object.values(counts).every((n) => n === 0);
  });

describe('a deliver job whose target cannot open', () => {
  it('fails its run at once, naming the target, and leaves its deliveries owed, not dead', async () => {
    const versionIds = await fx.takeOver(province);
    const runtime = fx.rt as unknown as { target: () => Promise<TargetAdapter> };
    runtime.target = async () => {
      throw new LicbridgeError(
        ErrorCodes.CONFIG_INVALID,
        'target province (front-db): table UP_LIC_DATA has no column DELIVERY_KEY',
      );
    };
    const failedRuns: string[] = [];
    const job = await deliver.add(
      'deliver',
      { pipeline: PIPELINE, runId: RUN, target: 'province', versionIds },
      { attempts: 8, backoff: { type: DELIVER_BACKOFF, delay: 1 } },
    );
    workers = fx.start(['deliver']);
    workers.events.on('runFailed', (runId: string, message: string) =>
      failedRuns.push(`${runId}: ${message}`),
    );
    await idle();
    await workers.close();
    workers = undefined;

    const failed = await deliver.getJob(job.id as string);
    expect(failed?.attemptsMade).toBe(1);
    expect(failed?.failedReason).toContain('table UP_LIC_DATA has no column DELIVERY_KEY');
    expect(failedRuns).toEqual([expect.stringContaining('target province (front-db)')]);
    const rows = await ledger.ensureDeliveries(versionIds, 'province');
    expect(rows.map((r) => r.state)).toEqual(versionIds.map(() => 'pending'));
    expect(await ledger.listDeadLetters({ keys: rows.map((r) => r.key) })).toEqual([]);
    expect(await fx.owedToProvince()).toBe(versionIds.length);

    // The config corrected: a job queued again (a sweep's, the next run's) delivers them.
    runtime.target = async () => province;
    await deliver.add(
      'deliver',
      { pipeline: PIPELINE, runId: RUN, target: 'province', versionIds },
      { jobId: 'after-fix', attempts: 8, backoff: { type: DELIVER_BACKOFF, delay: 1 } },
    );
    workers = fx.start(['deliver']);
    await idle();
    await workers.close();
    workers = undefined;
    expect(await fx.owedToProvince()).toBe(0);
  }, 60_000);
});
